import Foundation
import SimotelKit

/// An originated call played as Simotel plays it (api-v4.md §8.2.1): the caller is rung first;
/// when it answers, the callee is dialled (IncomingCall for an extension, OutgoingCall for an
/// external number) and rung; they talk and hang up. Each step is the event Simotel sends
/// (NewState, IncomingCall or OutgoingCall, Cdr), all with the call's `unique_id` and the
/// returned `originated_call_id`. How each party's part ends is its number's `CallOutcome`:
/// - answered: NewState Ringing, then InUse;
/// - no-answer: NewState Ringing, then Idle (never InUse);
/// - busy, failed: no NewState for that party (a busy line is in another call and its state
///   does not change; a number that cannot be reached has none).
/// When the caller does not answer the call ends there: no IncomingCall or OutgoingCall, and no
/// Cdr (api-v4.md §8.2.1, webhooks.md §4.14). Else the Cdr's disposition is the callee's outcome
/// (ANSWERED, NO ANSWER, BUSY, FAILED), billsec 0 and no recording unless answered, and the call
/// lands in the CDR reports (an answered one with a recording to download).
extension SimotelSimulator {
    struct CallPlan {
        var caller, callee, uniqueID, originatedID, trunk, record: String
        var start: Date
        var callerOutcome: CallOutcome = .answered
        var calleeOutcome: CallOutcome = .answered

        static func isExtension(_ n: String) -> Bool { n.count <= 5 && n.allSatisfy(\.isNumber) }

        var ids: [(String, JSONValue)] {
            [("unique_id", .string(uniqueID)), ("originated_call_id", .string(originatedID))]
        }
    }

    /// The pause between two events of a call.
    static let callStep = Duration.milliseconds(40)

    func play(_ p: CallPlan) async {
        let callerAnswered = await ring(p.caller, of: p, participant: p.callee, direction: "out", p.callerOutcome)
        guard callerAnswered else { return }
        emitDialled(p)
        try? await Task.sleep(for: Self.callStep)
        let answered = await ring(p.callee, of: p, participant: p.caller, direction: "in", p.calleeOutcome)
        await newState(p.caller, "Idle", of: p, participant: p.callee, direction: "out")
        if answered { await newState(p.callee, "Idle", of: p, participant: p.caller, direction: "in") }
        hangUp(p, answered ? .answered : p.calleeOutcome)
    }

    /// Rings one party as its outcome says; true when it answers.
    func ring(
        _ number: String, of p: CallPlan, participant: String, direction: String, _ outcome: CallOutcome
    ) async -> Bool {
        switch outcome {
        case .answered, .noAnswer:
            await newState(number, "Ringing", of: p, participant: participant, direction: direction)
            let answered = outcome == .answered
            await newState(number, answered ? "InUse" : "Idle", of: p, participant: participant, direction: direction)
            return answered
        case .busy, .failed:
            try? await Task.sleep(for: Self.callStep)
            return false
        }
    }

    /// A NewState for an extension (external numbers have none), then a pause.
    func newState(_ exten: String, _ state: String, of p: CallPlan, participant: String, direction: String) async {
        guard CallPlan.isExtension(exten) else { return }
        emit(
            .object([
                ("event_name", .string("NewState")), ("exten", .string(exten)), ("state", .string(state)),
                ("participant", .string(participant)), ("direction", .string(direction)),
                ("unique_id", .string(p.uniqueID)),
            ]), name: "NewState")
        try? await Task.sleep(for: Self.callStep)
    }

    /// The callee is dialled: IncomingCall when it is an extension, else OutgoingCall.
    func emitDialled(_ p: CallPlan) {
        if CallPlan.isExtension(p.callee) {
            emit(
                .object(
                    [
                        ("event_name", .string("IncomingCall")), ("number", .string(p.caller)),
                        ("entry_point", .string(p.trunk)),
                    ] + p.ids), name: "IncomingCall")
        } else {
            emit(
                .object(
                    [
                        ("event_name", .string("OutgoingCall")), ("number", .string(p.callee)),
                        ("outgoing_point", .string(p.trunk)),
                    ] + p.ids), name: "OutgoingCall")
        }
    }

    /// The Cdr event and the CDR report's row; an answered call's recording to download.
    func hangUp(_ p: CallPlan, _ outcome: CallOutcome) {
        let answered = outcome == .answered
        let type = CallPlan.isExtension(p.caller) && CallPlan.isExtension(p.callee) ? "local" : "outgoing"
        let billsec = answered ? 1 : 0
        // Rung for a second (answered or not); a busy line or a failure ends at once.
        let wait = answered || outcome == .noAnswer ? 1 : 0
        if answered { files.put(p.record, Self.silentWAV(seconds: 1)) }
        var fields: [(String, JSONValue)] = [
            ("event_name", .string("Cdr")), ("starttime", .string(Self.eventTime(p.start))),
            ("endtime", .string(Self.eventTime(Date()))), ("src", .string(p.caller)), ("dst", .string(p.callee)),
            ("type", .string(type)), ("disposition", .string(outcome.disposition)),
            ("duration", .number(Double(billsec + wait))), ("billsec", .number(Double(billsec))),
            ("wait", .number(Double(wait))),
        ]
        if answered { fields.append(("record", .string(p.record))) }
        emit(.object(fields + p.ids), name: "Cdr")
        store.insert(
            "reports/cdr",
            cdrRow(
                CallRecord(
                    cuid: p.uniqueID, type: type, src: p.caller, dst: p.callee, disposition: outcome.disposition,
                    start: p.start, wait: wait, billsec: billsec, trunk: p.trunk,
                    sequence: store.all("reports/cdr").count + 1, record: answered ? p.record : nil,
                    originatedID: p.originatedID)))
    }
}
