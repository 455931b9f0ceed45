import ArgumentParser
import Foundation
import SafeFiles
import SimotelKit
import SimshLanguage
import SimshRecords
import SimshRuntime

struct CallsTrace: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "One call's timeline: the request that started it, its webhooks, component requests and Cdr",
        discussion: """
            ID is any of the call's identifiers: originated_call_id (orig.call.…, what originate answers \
            and $call holds), unique_id (cuid in the docs' tables) or a CDR row's uniqueid. Everything \
            stored for the call — by this session or any other, by every listener writing to the store — \
            in order of arrival, with the time and the offset from the first record; the event's own time \
            where it differs; the dialplan steps (route[]) of its CDR. --output json gives one object per \
            line ("type": "trace", kind request|event|component|route, time, offset_ms, name, fields). \
            --html FILE writes one self-contained page: a sequence diagram (lanes for your app, Simotel, \
            your webhook receiver and each component service) and the records below it.
            """
    )

    @Argument(help: ArgumentHelp("Any of the call's ids", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("Write the timeline as one HTML page with a sequence diagram", valueName: "file"))
    var html: String?

    func run(in session: Session) async throws {
        let store = try await session.requireStore()
        let found = try await Session.storeCall { () async throws(StoreError) in
            try await CallTrace.collect(id, in: store)
        }
        guard !found.records.isEmpty else {
            let shown = id.count > 80 ? String(id.prefix(79)) + "…" : id
            throw SimshError(
                .expectation,
                "no records of a call '\(CallsTrace.visible(shown))' in \(store.location) (calls lists the calls; "
                    + "ids are originated_call_id, unique_id or a CDR's uniqueid)")
        }
        let trace = CallTrace(keys: found.keys, records: found.records)
        if let html {
            do {
                try SafeFile.write(Array(CallTracePage.html(trace, id: id).utf8), to: html, mode: 0o644)
            } catch {
                throw SimshError.io(error.description)
            }
            let n = trace.entries.count
            session.output.info("wrote \(html) (\(n) entr\(n == 1 ? "y" : "ies"))")
        }
        if session.outputMode == .json {
            for e in trace.entries { session.output.json(Output.typed(.trace, Self.json(e))) }
            return
        }
        session.output.line("call \(found.keys.joined(separator: " = "))")
        for e in trace.entries { session.output.line(Self.line(e, style: session.output.style)) }
    }

    static func json(_ e: CallTrace.Entry) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("kind", .string(e.kind.rawValue)), ("time", .string(Timestamp.iso(e.time))),
            ("offset_ms", .number(e.offsetMilliseconds)), ("name", .string(e.name)),
        ]
        if let id = e.id { members.append(("seq", .number(Double(id)))) }
        if let own = e.ownTime { members.append(("own_time", .string(Timestamp.iso(own)))) }
        members.append(("fields", e.fields))
        if let reply = e.reply { members.append(("reply", reply)) }
        members.append(("source", .string(e.source)))
        return .object(members)
    }

    /// `19:16:23.012  +1.204 s  <-- Cdr [#7]  disposition=ANSWERED …`.
    static func line(_ e: CallTrace.Entry, style: Style) -> String {
        let offset = String(format: "%+.3f s", e.offsetMilliseconds / 1000)
        let number = e.id.map { " [#\($0)]" } ?? ""
        let arrow: String
        switch e.kind {
        case .request: arrow = "-->"
        case .event: arrow = "<--"
        case .component: arrow = "<->"
        case .route: arrow = "   ·"
        }
        var text = "\(Timestamp.clock(e.time))  \(offset)  \(arrow) \(style.eventName(visible(e.name)))\(number)"
        let fields = visible(Self.keyFields(e))
        if !fields.isEmpty { text += "  " + fields }
        if let reply = e.reply { text += "  --> \(visible(reply.serialized()))" }
        if let own = e.ownTime { text += "  (its own time \(RecordCalendar.gregorian.text(own)))" }
        return text
    }

    /// Text a sender chose, on one line: line breaks, other control characters and the Unicode
    /// line separators written as escapes, so no field can start a line of its own.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBreaking) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default:
                if isBreaking(s) {
                    out.append(contentsOf: String(format: "\\u{%04X}", s.value).unicodeScalars)
                } else {
                    out.append(s)
                }
            }
        }
        return String(out)
    }

    static func isBreaking(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
    }

    /// A few fields worth a glance: an event's key fields, a request's status.
    static func keyFields(_ e: CallTrace.Entry) -> String {
        switch e.kind {
        case .request:
            return e.fields["status"].map { "status=\($0.displayText)" } ?? ""
        case .route:
            return e.fields["duration"].map { "duration=\($0.displayText)" } ?? ""
        case .event, .component:
            guard case .object(let pairs) = e.fields else { return "" }
            let skip: Set<String> = ["event_name", "event", "route"]
            return pairs.filter { !skip.contains($0.0) && !$0.1.isNull && $0.1.displayText != "" }.prefix(6)
                .map { "\($0.0)=\($0.1.displayText)" }.joined(separator: " ")
        }
    }
}

extension CallsTrace: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Everything that happened to an originated call:",
            "simsh demo> originate caller=101 callee=102 context=main trunk_name=demo",
            "simsh demo> calls trace $call"),
        CommandExample(
            "The same as a page with a sequence diagram:",
            "simsh demo> calls trace $call --html call.html"),
    ]
}

/// Times as `calls trace` shows them.
enum Timestamp {
    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }

    /// `19:16:23.012`, local time.
    static func clock(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .current
        let c = cal.dateComponents([.hour, .minute, .second, .nanosecond], from: date)
        return String(
            format: "%02d:%02d:%02d.%03d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0, (c.nanosecond ?? 0) / 1_000_000)
    }
}
