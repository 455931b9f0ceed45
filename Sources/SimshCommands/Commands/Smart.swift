import ArgumentParser

struct Smart: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "smart",
        abstract: "Smart API scripts: check the commands a service replies with",
        subcommands: [SmartCheck.self]
    )
}

extension Smart: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Check a Smart API script:",
            "simsh> smart check \"PlayAnnouncement('a'); Exit('go')\"")
    ]
}
