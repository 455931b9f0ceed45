import ArgumentParser
import Foundation
import SimotelKit
import SimotelWebhooks
import SimshRecords
import SimshRuntime

struct ListenStatus: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the listener's address, uptime, event counts and rejected requests",
        discussion: """
            Rejected requests are broken down by status and reason, each with its count and its last \
            sender (address and time): 401 (no Basic credentials, not Basic, wrong user, wrong password), \
            404 (no such path), 405, 400 (not an event, not HTTP/1.1, request cut short), 413 (body too \
            large), 431 (header fields too large), 408 (request timed out: the connection is closed) and \
            503 (the event log or the event store cannot be written). The store row names the event \
            store, its records and size. With --output json they are the "rejections" array of \
            the record's "values".
            """
    )

    func run(in session: Session) async throws {
        guard let l = session.listener else {
            session.output.line("not listening (listen events starts the listener)")
            return
        }
        let rejections = l.rejections
        var rows: [(String, String)] = [
            ("listening", l.url),
            ("uptime", String(format: "%.0f s", l.uptime)),
            ("rejected", String(l.rejected)),
        ]
        rows += Self.breakdown(rejections)
        rows += Self.details(of: l)
        if let store = l.configuration.recordStore { rows.append(("store", await Self.describe(store, of: l))) }
        guard session.outputMode == .json else {
            session.output.keyValues(rows)
            return
        }
        // The rows as strings, and the rejections as records under `rejections`.
        var values: [(String, JSONValue)] = []
        for (key, value) in rows where !key.isEmpty {
            values.append((key, .string(value)))
            if key == "rejected" { values.append(("rejections", .array(rejections.map(Self.json)))) }
        }
        session.output.json(
            .text,
            .object([
                ("text", .string(Output.keyValueLines(rows).joined(separator: "\n"))), ("values", .object(values)),
            ]))
    }

    /// What the listener keeps, logs and forwards, and the events it recorded.
    static func details(of l: WebhookListener) -> [(String, String)] {
        var rows: [(String, String)] = []
        let usage = l.store.usage
        rows.append(("kept", "\(usage.events) events, \(ByteSize.text(usage.bytes))"))
        rows.append(("dropped", String(l.store.dropped)))
        let lenient = l.acceptedLeniently
        if !lenient.isEmpty {
            let kinds = lenient.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
            let total = lenient.values.reduce(0, +)
            rows.append(("accepted leniently", "\(total) (\(kinds.joined(separator: ", ")))"))
        }
        if l.configuration.strict { rows.append(("strict", "bodies that are not RFC 8259 JSON get 400")) }
        if let f = l.configuration.logFile {
            let failures = l.logFailureCount
            rows.append(("log", failures > 0 ? "\(f) (\(failures) events not logged, answered 503)" : f))
        }
        if let f = l.configuration.forwardTo { rows.append(("forward", f)) }
        let counts = l.store.countsByName.sorted { $0.key < $1.key }
        rows.append(
            ("events", counts.isEmpty ? "none yet" : counts.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        return rows
    }

    /// `~/.local/state/simsh/events.db, 1204 records, 1.2 MiB` (and the writes that failed).
    static func describe(_ store: any RecordStore, of l: WebhookListener) async -> String {
        var text = store.location
        if let s = try? await store.summary() {
            text += ", \(s.records) record\(s.records == 1 ? "" : "s"), \(ByteSize.text(Int(s.bytes)))"
        } else {
            text += " (cannot be read now)"
        }
        let failed = l.storeFailureCount
        if failed > 0 { text += " (\(failed) records not stored)" }
        return text
    }

    /// `401 no Basic credentials  3 (last 127.0.0.1:51234 at 18:02:11)`, one row for each status
    /// and reason, under `rejected` (no key of their own).
    static func breakdown(_ rejections: [RejectionCount]) -> [(String, String)] {
        let labels = rejections.map { "\($0.status) \($0.kind)" }
        let width = labels.map(\.count).max() ?? 0
        return zip(labels, rejections).map { label, r -> (String, String) in
            let padded = label.padding(toLength: width, withPad: " ", startingAt: 0)
            return ("", "\(padded)  \(r.count) (last \(r.lastFrom) at \(WebhookListener.clockTime(r.lastAt)))")
        }
    }

    static func json(_ r: RejectionCount) -> JSONValue {
        .object([
            ("status", .number(Double(r.status))), ("reason", .string(r.kind)), ("count", .number(Double(r.count))),
            ("last_from", .string(r.lastFrom)), ("last_at", .string(ReceivedEvent.timestamp(r.lastAt))),
            ("last_reason", .string(r.lastReason)),
        ])
    }
}

extension ListenStatus: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "How the listener is doing:",
            "simsh demo> listen status")
    ]
}
