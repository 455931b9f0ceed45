import ArgumentParser

struct Listen: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Receive Simotel's event webhooks: start, show or stop the session's listener",
        discussion: """
            One listener per session, shared by the shell and scripts: every event it records can be \
            listed with events and awaited with wait event.
            """,
        subcommands: [ListenEvents.self, ListenStatus.self, ListenStop.self]
    )
}

extension Listen: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Receive Simotel's webhooks:",
            "simsh> listen events --port 8089")
    ]
}
