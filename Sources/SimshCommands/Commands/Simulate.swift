import ArgumentParser

struct Simulate: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Send what Simotel would send, without a PBX",
        subcommands: [SimulateEvent.self, SimulateCall.self, SimulateOutcome.self]
    )
}

extension Simulate: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Send a webhook to the listener, as the PBX would:",
            "simsh demo> simulate event NewState exten=101 state=Ringing")
    ]
}
