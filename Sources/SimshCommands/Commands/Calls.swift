import ArgumentParser
import Foundation
import SimotelKit
import SimshLanguage
import SimshRecords
import SimshRuntime

struct Calls: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls",
        abstract: "The calls the event store's records tell: one line per call",
        discussion: """
            Simotel ties a call together only by identifiers that differ by surface: originate answers \
            originated_call_id; IncomingCall, OutgoingCall and Cdr carry it with the call's unique_id; \
            NewState and component requests carry only unique_id. calls joins them: each line gives the \
            call's ids, start, from → to, direction, state (ringing, up, ended), outcome (the Cdr's \
            disposition: ANSWERED, NO ANSWER, BUSY, FAILED), duration, how many records and the last one. \
            calls trace ID shows one call whole. --output json gives one object per call ("type": "call"). \
            simsh-events(7) says how the ids are joined.
            """,
        subcommands: [CallsTrace.self]
    )

    @Option(help: ArgumentHelp("Calls with records from this long ago (24h, 30m, 7d)", valueName: "duration"))
    var since = DurationArgument(seconds: 86_400)

    @Option(help: ArgumentHelp("Only the last N calls", valueName: "n"))
    var last: Int = 20

    func validate() throws {
        guard last > 0 else { throw ValidationError("--last must be more than 0") }
    }

    func run(in session: Session) async throws {
        let store = try await session.requireStore()
        let query = RecordQuery(since: Date().addingTimeInterval(-since.seconds), limit: 200_000)
        let records = try await Session.storeCall { () async throws(StoreError) in try await store.search(query) }
        let calls = Array(CallSummary.group(records).suffix(last))
        let rows = calls.map(Self.row)
        if session.outputMode == .json {
            for row in rows { session.output.json(Output.typed(.call, row)) }
            return
        }
        guard !rows.isEmpty else {
            session.output.line("no calls in the last \(Session.waitingTime(since.seconds))")
            return
        }
        var table = ResultTable.render(
            rows.map(Self.tableRow),
            columns: ["id", "start", "from → to", "dir", "state", "outcome", "duration", "records", "last"],
            total: nil, width: session.terminalWidth?(), style: session.output.style)
        // The count line counts calls, not rows of records.
        if let range = table.range(of: "\(rows.count) record\(rows.count == 1 ? "" : "s")", options: .backwards) {
            table.replaceSubrange(range, with: "\(rows.count) call\(rows.count == 1 ? "" : "s")")
        }
        session.output.page(table)
    }

    static func row(_ c: CallSummary) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return .object([
            ("id", .string(c.id)), (CallIdentifiers.originated, text(c.originatedID)),
            (CallIdentifiers.unique, text(c.uniqueIDs.first)),
            ("start", .string(RecordCalendar.gregorian.text(c.start))),
            ("from", text(c.from)), ("to", text(c.to)), ("direction", text(c.direction)), ("state", .string(c.state)),
            ("outcome", text(c.outcome)), ("duration", c.duration.map { .number($0.rounded()) } ?? .null),
            ("records", .number(Double(c.records))), ("last", .string(c.lastName)),
        ])
    }

    /// The table's cells: both parties in one column, the duration with its unit.
    static func tableRow(_ row: JSONValue) -> JSONValue {
        func t(_ k: String) -> String { row[k].flatMap { $0.isNull ? nil : $0.displayText } ?? "" }
        let duration = row["duration"].flatMap { $0.isNull ? nil : "\($0.displayText) s" } ?? ""
        return .object([
            ("id", .string(t("id"))), ("start", .string(t("start"))),
            ("from → to", .string("\(t("from")) → \(t("to"))")), ("dir", .string(t("direction"))),
            ("state", .string(t("state"))), ("outcome", .string(t("outcome"))), ("duration", .string(duration)),
            ("records", .string(t("records"))), ("last", .string(t("last"))),
        ])
    }
}

extension Calls: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "The calls of the last hour:",
            "simsh demo> calls --since 1h"),
        CommandExample(
            "One call whole, after an originate:",
            "simsh demo> originate caller=101 callee=102 context=main trunk_name=demo",
            "simsh demo> calls trace $call"),
    ]
}
