import ArgumentParser
import SimshLanguage
import SimshRecords
import SimshRuntime

struct EventsFollow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Print records as any listener stores them, until Ctrl-C or --timeout",
        discussion: """
            Like tail -f on the event store: every record stored from now on by any simsh writing to the \
            same store — several listeners at once — is printed as it is stored, with the same filters as \
            events search.
            """
    )

    @OptionGroup var filter: RecordFilter

    @Option(help: ArgumentHelp("Stop after this long (default: until Ctrl-C)", valueName: "duration"))
    var timeout: DurationArgument?

    func run(in session: Session) async throws {
        let store = try await session.requireStore()
        let query = try await filter.query(in: store)
        let json = session.outputMode == .json
        let output = session.output
        let filter = self.filter
        let follow = Task {
            for try await r in store.follow(query) where filter.matches(r) {
                if json {
                    output.json(Session.typedJSON(r))
                } else {
                    output.line(Session.describe(r, style: output.style))
                }
            }
        }
        defer { follow.cancel() }
        if let timeout {
            let seconds = timeout.seconds
            try await withTaskCancellationHandler {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                try Task.checkCancellation()
            } onCancel: {
                follow.cancel()
            }
            return
        }
        try await withTaskCancellationHandler {
            _ = try await follow.value
        } onCancel: {
            follow.cancel()
        }
        // Ctrl-C ends it as it ends any command (130).
        try Task.checkCancellation()
    }
}

extension EventsFollow: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Watch the Cdr events every listener stores:",
            "simsh> events follow --name Cdr")
    ]
}
