import ArgumentParser
import SimshLanguage
import SimshRecords
import SimshRuntime

struct EventsExport: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored records as JSON lines (events export > FILE.jsonl)",
        discussion: """
            Every matching record, oldest first, one JSON object per line on standard output, whatever \
            --output says (events resend --file reads the event lines back).
            """
    )

    @OptionGroup var filter: RecordFilter

    func run(in session: Session) async throws {
        let store = try await session.requireStore()
        var query = try await filter.query(in: store)
        query.limit = 1000
        query.afterID = 0
        while true {
            try Task.checkCancellation()
            let page = try await Session.storeCall { () async throws(StoreError) in try await store.search(query) }
            for r in page where filter.matches(r) { session.output.line(Session.typedJSON(r).serialized()) }
            guard page.count == query.limit, let lastRecord = page.last else { break }
            query.afterID = lastRecord.id
        }
    }
}

extension EventsExport: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "The last day's Cdr events as JSON lines (from a terminal: simsh events export … > cdr.jsonl):",
            "simsh> events export --name Cdr --since 24h")
    ]
}
