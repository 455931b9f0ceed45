import Foundation
import SimotelKit
import SimotelWebhooks
import SimshLanguage

/// Checks on the events of one call (`CallMembership`), counted as `expect event` counts events:
/// `expect call ID reaches EVENT [--where F=V]… within DURATION` and
/// `expect events NAME -> NAME [-> NAME…] for ID within DURATION`. A failure says what arrived
/// for that call and why an event may not have come (`WaitExplanation`), and exits 1.
extension Interpreter {
    func checkCall(_ command: ParsedCommand, _ form: Statement.ExpectForm) async throws {
        switch form {
        case .call(let id, let event, let options, let within):
            try await expectCallReaches(command, id: id, event: event, options: options, within: within)
        case .sequence(let names, let id, let within):
            try await expectCallSequence(command, names: names, id: id, within: within)
        default:
            return
        }
    }

    /// `expect call ID reaches EVENT …`: the first event named EVENT of that call matching every
    /// condition, received since the start of the previous command and after the last event a
    /// wait returned, becomes `$event`.
    func expectCallReaches(_ command: ParsedCommand, id: Word, event: Word, options: [Word], within: Word)
        async throws
    {
        let call = try callID(id)
        let name = try event.expanded(lookup: session.lookup)
        let conditions = try whereConditions(options)
        let (seconds, duration) = try callDuration(within)
        let shown = conditions.map { " --where \($0.field)=\($0.value)" }.joined()
        let check = "call \(call) reaches \(name)\(shown) within \(duration)"
        let outcome = try await session.waitForCall(
            call, seconds: seconds, label: "\(name) of call \(call)", afterLastWait: true
        ) { events in
            events.first { e in Session.isNamed(e, name) && conditions.allSatisfy { e.matches($0.field, $0.value) } }
        }
        switch outcome {
        case .found(let e):
            session.exportEventVariables(e)
        case .timedOut(let report):
            throw callFailed(check, actual: Self.arrived(report), missing: [name], call: call, report, command)
        }
    }

    /// `expect events A -> B … for ID`: events of that call named A, B, … in that order of
    /// arrival (others between them), received since the start of the previous command (events
    /// a wait returned count: the order is the call's whole story); the last becomes `$event`.
    func expectCallSequence(_ command: ParsedCommand, names: [Word], id: Word, within: Word) async throws {
        let call = try callID(id)
        let wanted = try names.map { try $0.expanded(lookup: session.lookup) }
        let (seconds, duration) = try callDuration(within)
        let check = "events \(wanted.joined(separator: " -> ")) for \(call) within \(duration)"
        let outcome = try await session.waitForCall(
            call, seconds: seconds, label: "\(wanted.joined(separator: " -> ")) of call \(call)", afterLastWait: false
        ) { events in
            let matched = Self.inOrder(wanted, events)
            return matched.count == wanted.count ? matched.last : nil
        }
        switch outcome {
        case .found(let e):
            session.exportEventVariables(e)
        case .timedOut(let report):
            let matched = Self.inOrder(wanted, report.arrived)
            let missing = Array(wanted[min(matched.count, wanted.count - 1)...])
            let after = matched.last.map { " after \($0.name) #\($0.number)" } ?? ""
            let actual = Self.arrived(report) + "; no \(missing[0])\(after)"
            throw callFailed(check, actual: actual, missing: missing, call: call, report, command)
        }
    }

    /// The first events of `events`, in order, named as `names` are (others between them
    /// skipped): as many of them as came.
    static func inOrder(_ names: [String], _ events: [ReceivedEvent]) -> [ReceivedEvent] {
        var matched: [ReceivedEvent] = []
        for e in events where matched.count < names.count && Session.isNamed(e, names[matched.count]) {
            matched.append(e)
        }
        return matched
    }

    /// `for that call arrived NewState #3 12:00:01.123, …`, or what else arrived.
    static func arrived(_ report: CallWaitReport) -> String {
        if !report.arrived.isEmpty { return "for that call arrived " + Session.listed(report.arrived, times: true) }
        if report.others.isEmpty { return "nothing arrived" }
        return "nothing arrived for that call; other events: " + Session.listed(report.others, times: false)
    }

    /// `expect failed: CHECK (actual: WHAT ARRIVED)` with the line and a caret, as `failed` says
    /// it but with the whole list of what arrived (at most ten events and their times), then
    /// why the events `missing` may not have come, a note a line.
    func callFailed(
        _ check: String, actual: String, missing: [String], call: String, _ report: CallWaitReport,
        _ command: ParsedCommand
    ) -> SimshError {
        var e = failed(check, actual: actual, command, word: 1)
        let notes = session.waitNotes(for: missing, call: call, arrived: report.arrived, from: report.from)
        e.message = "expect failed: \(Self.shortened(check)) (actual: \(actual))" + notes
        return e
    }

    /// `expect event`'s failure from its wait's: the wait's first line as the value found, its
    /// notes (why the event may not have come) whole after it.
    func failedWait(_ check: String, _ error: SimshError, _ command: ParsedCommand) -> SimshError {
        let (first, notes) = WaitExplanation.split(error.message)
        var e = failed(check, actual: first, command, word: 1)
        e.message += notes
        return e
    }

    /// The call's id as its word expands: never empty.
    func callID(_ word: Word) throws -> String {
        let id = try word.expanded(lookup: session.lookup).trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else {
            throw SimshError.usage("expect: the call's id is empty (originate sets $call)", at: word.location)
        }
        return id
    }

    /// The seconds of `within DURATION`, and the duration as written.
    func callDuration(_ word: Word) throws -> (Double, String) {
        let text = try word.expanded(lookup: session.lookup)
        guard let seconds = DurationParser.seconds(text) else {
            throw SimshError.usage("'\(text)' is not a duration (5s, 500ms)", at: word.location)
        }
        return (seconds, text)
    }

    /// `--where F=V` and `--where=F=V`, expanded.
    func whereConditions(_ words: [Word]) throws -> [FieldCondition] {
        var conditions: [FieldCondition] = []
        var i = 0
        while i < words.count {
            var text = try words[i].expanded(lookup: session.lookup)
            if text == "--where", i + 1 < words.count {
                i += 1
                text = try words[i].expanded(lookup: session.lookup)
            } else if text.hasPrefix("--where=") {
                text.removeFirst("--where=".count)
            } else {
                throw SimshError.usage("expect call: unexpected '\(text)' (--where FIELD=VALUE)", at: words[i].location)
            }
            guard let condition = FieldCondition(text) else {
                throw SimshError.usage("expect call: '\(text)' is not FIELD=VALUE", at: words[i].location)
            }
            conditions.append(condition)
            i += 1
        }
        return conditions
    }
}
