import ArgumentParser

struct Component: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "component",
        abstract: "Dialplan components that call your service (Exten, Trunk, IVR, Smart API)",
        subcommands: [ComponentCall.self]
    )
}

extension Component: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Call an integrator's Smart API service as Simotel would:",
            "simsh> component call smart http://127.0.0.1:8000/ src=09155441 dst=789 --app-name s1")
    ]
}
