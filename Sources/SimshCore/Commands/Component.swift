import ArgumentParser

struct Component: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "component",
        abstract: "Dialplan components that call your service (Exten, Trunk, IVR, Smart API)",
        subcommands: [ComponentCall.self])
}
