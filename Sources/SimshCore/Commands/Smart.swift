import ArgumentParser

struct Smart: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "smart",
        abstract: "Smart API scripts: check the commands a service replies with",
        subcommands: [SmartCheck.self])
}
