import ArgumentParser

struct Simulate: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Send what Simotel would send, without a PBX",
        subcommands: [SimulateEvent.self, SimulateCall.self])
}
