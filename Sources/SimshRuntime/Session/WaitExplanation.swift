import Foundation
import SimotelSimulator
import SimotelWebhooks
import SimshLanguage

/// Why an awaited event may not have come, in short notes after a wait's timeout (`wait event`,
/// `wait request`, `expect event`, `expect call`, `expect events`), one line each: what the
/// listener refused during the wait's window and why, and where Simotel's documentation says
/// the event may never come. The failure stays one error: its first line, then the notes.
enum WaitExplanation {
    /// The most lines about refused requests (one per status and kind, the rest counted).
    static let refusalLines = 3

    static let noCdr = "Simotel sends no Cdr when the first party does not answer (api-v4.md: originate)"
    static let noComponent =
        "no component request comes when the dialplan has no API component (webhooks.md §6.1)"

    /// The notes for a wait whose window starts at event number `from`, for events named `names`
    /// (of call `call`, for the call checks) of which none came in time; `arrived`: the events
    /// it saw (a name among them came, but not as asked: no note says why it would not).
    static func notes(
        for names: [String], call: String? = nil, arrived: [ReceivedEvent], from: Int, in session: Session,
        listener: WebhookListener
    ) -> [String] {
        var notes = refusals(listener.rejections(sinceEvent: from))
        for name in names where !arrived.contains(where: { Session.isNamed($0, name) }) {
            for note in documented(name, call: call, in: session, listener: listener) where !notes.contains(note) {
                notes.append(note)
            }
        }
        return notes
    }

    /// The notes as they follow a failure's first line: each on a line of its own.
    static func lines(_ notes: [String]) -> String {
        notes.map { "\n  note: " + $0 }.joined()
    }

    /// A failure's first line, and the note lines after it (empty when it has none).
    static func split(_ message: String) -> (first: String, notes: String) {
        guard let newline = message.firstIndex(of: "\n") else { return (message, "") }
        return (String(message[..<newline]), String(message[newline...]))
    }

    /// `the listener rejected POST /Cdr from 10.0.0.5:41234 at 12:00:03: 401: wrong password for
    /// user 'simotel'`: one line for each status and kind, the last of them named.
    static func refusals(_ refused: (recent: [RecentRejection], complete: Bool)) -> [String] {
        var groups: [(count: Int, last: RecentRejection)] = []
        for r in refused.recent {
            if let i = groups.firstIndex(where: { $0.last.status == r.status && $0.last.kind == r.kind }) {
                groups[i] = (count: groups[i].count + 1, last: r)
            } else {
                groups.append((count: 1, last: r))
            }
        }
        let more = refused.complete ? "" : " or more"
        var lines = groups.prefix(refusalLines).map { group -> String in
            let r = group.last
            let what =
                group.count == 1 && refused.complete
                ? r.request : "\(group.count)\(more) requests, the last \(r.request)"
            return "the listener rejected \(what) from \(r.from) at \(WebhookListener.clockTime(r.at)): "
                + "\(r.status): \(r.reason)"
        }
        if groups.count > refusalLines {
            lines.append("the listener rejected other kinds of requests too (listen status counts them)")
        }
        return lines
    }

    /// Where Simotel's documentation says an event named `name` may never come: a Cdr after an
    /// originate whose first party did not answer, a component request without an API component
    /// in the dialplan, an event not ticked in Simotel's API Settings (not said when the
    /// session's own simulator sends the events, nor once one of its kind has come).
    static func documented(_ name: String, call: String?, in session: Session, listener: WebhookListener)
        -> [String]
    {
        let counts = listener.store.countsByName
        if name.caseInsensitiveCompare(ReceivedEvent.componentName) == .orderedSame {
            return counts[ReceivedEvent.componentName, default: 0] > 0 ? [] : [noComponent]
        }
        guard let kind = EventCatalog.kind(named: name) else {
            return counts[name, default: 0] > 0 ? [] : ["\(name) is not an event Simotel sends (webhooks.md §3)"]
        }
        var notes: [String] = []
        if kind.name == "Cdr", let originated = session.variable(VariableName.call)?.text, !originated.isEmpty,
            call == nil || call == originated
        {
            notes.append(noCdr)
        }
        let fromSimulator = session.embeddedSimulator.map { $0.eventsURL == listener.url } ?? false
        if !fromSimulator, counts[kind.name, default: 0] == 0 {
            notes.append(
                "Simotel sends \(kind.name) only when it is ticked in the Events list of its API Settings "
                    + "(webhooks.md §2.1)")
        }
        return notes
    }
}

extension Session {
    /// Whether `event` is named `name` as a wait means it: as the catalog spells it, or in any case.
    static func isNamed(_ event: ReceivedEvent, _ name: String) -> Bool {
        let canonical = EventCatalog.kind(named: name)?.name ?? name
        return event.name == canonical
            || (event.name.utf8.count == name.utf8.count && event.name.caseInsensitiveCompare(name) == .orderedSame)
    }

    /// The notes of a wait that timed out (`WaitExplanation`), as the lines after its failure.
    func waitNotes(for names: [String], call: String? = nil, arrived: [ReceivedEvent], from: Int) -> String {
        guard let listener else { return "" }
        return WaitExplanation.lines(
            WaitExplanation.notes(for: names, call: call, arrived: arrived, from: from, in: self, listener: listener))
    }
}
