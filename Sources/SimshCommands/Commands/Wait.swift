import ArgumentParser

struct Wait: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Wait for something to happen", subcommands: [WaitEvent.self, WaitRequest.self]
    )
}

extension Wait: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Wait for a webhook:",
            "wait event Cdr --timeout 60s")
    ]
}
