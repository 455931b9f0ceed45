import ArgumentParser
import SimshLanguage
import SimshRecords
import SimshRuntime

struct EventsSearch: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the event store: this session's records and every earlier one",
        discussion: """
            Reads the event store (--store, SIMSH_STORE, a profile's store, else \
            ~/.local/state/simsh/events.db): every event a listener accepted, every component request with \
            the reply it got, and the API requests of sessions that had a listener or a store named, with \
            their answers (secrets masked). The last N matching records are shown oldest first, each with \
            the store's number (#N, stable across sessions: events show N takes it). --call ID finds a \
            call's records by any of its ids (originated_call_id, unique_id/cuid, a CDR's uniqueid). \
            With --output json, one record per line ("type": "event", "request" for a component request, \
            "answer" for an API request).
            """
    )

    @OptionGroup var filter: RecordFilter

    @Option(help: ArgumentHelp("The last N matching records", valueName: "n"))
    var last: Int = 100

    func validate() throws {
        guard last > 0 else { throw ValidationError("--last must be more than 0") }
    }

    func run(in session: Session) async throws {
        let records = try await session.searchRecords(filter, last: last)
        if session.outputMode == .json {
            for r in records { session.output.json(Session.typedJSON(r)) }
            return
        }
        guard !records.isEmpty else {
            session.output.line("no records match")
            return
        }
        // With the day (records span days), in the calendar asked for.
        for r in records {
            let day = filter.calendar.text(r.time).prefix(10)
            session.output.line("\(day) " + Session.describe(r, style: session.output.style))
        }
    }
}

extension EventsSearch: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "The Cdr events of the last hour, from any session:",
            "simsh> events search --name Cdr --since 1h"),
        CommandExample(
            "Everything stored for one call:",
            "simsh> events search --call orig.call.1796662289.12"),
        CommandExample(
            "By time, in Simotel's own calendar:",
            "simsh> events search --since '1405-09-16 10:00' --calendar jalali --last 20"),
    ]
}
