import ArgumentParser

struct Wait: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Wait for something to happen", subcommands: [WaitEvent.self, WaitRequest.self])
}
