import ArgumentParser
import SimshRuntime

struct EventsClear: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Forget the recorded events")

    func run(in session: Session) async throws {
        try session.requireListener().store.clear()
    }
}

extension EventsClear: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Forget the events received so far:",
            "simsh demo> events clear")
    ]
}
