import ArgumentParser
import SimshLanguage
import SimshRuntime

/// A test hook for asynchronous output: prints a message from another task after a delay, the
/// way webhook events arrive, so tests can check it lands above the prompt and keeps the
/// half-typed line intact.
struct Announce: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce",
        abstract: "Print a message above the prompt after a delay (test hook)",
        shouldDisplay: false
    )

    @Option(help: ArgumentHelp("Delay before printing", valueName: "duration"))
    var after = DurationArgument(seconds: 0)

    @Argument(help: ArgumentHelp("The message", valueName: "text"))
    var text: String

    func run(in session: Session) async throws {
        let output = session.output
        let message = text
        let delay = after.seconds
        Task.detached {
            try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            output.announce(message)
        }
    }
}

extension Announce: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Shown above the prompt by simsh itself (hidden; for tests):",
            "announce hello")
    ]
}
