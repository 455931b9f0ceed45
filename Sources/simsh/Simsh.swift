import SimshCore
@main struct Simsh { static func main() async {} }
