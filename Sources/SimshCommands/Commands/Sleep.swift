import ArgumentParser
import SimshLanguage
import SimshRuntime

struct Sleep: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "sleep",
        abstract: "Wait for a while (1.5, 500ms, 2s, 1m)", discussion: "Ctrl-C cancels the wait."
    )

    @Argument(help: ArgumentHelp("How long: seconds, or a number with ms, s, m or h", valueName: "duration"))
    var duration: DurationArgument

    func validate() throws {
        if duration.seconds > 86_400 { throw ValidationError("duration longer than a day") }
    }

    func run(in session: Session) async throws {
        try await Task.sleep(for: .milliseconds(Int64(duration.seconds * 1000)))
    }
}

extension Sleep: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Pause a script:",
            "sleep 500ms")
    ]
}
