/// How the simulator's calls to or from a number end (`simulate outcome`, `simsh simulator
/// --outcome`): what NewState, IncomingCall/OutgoingCall and the Cdr then say.
public enum CallOutcome: String, Sendable, CaseIterable {
    /// It rings and is answered: NewState Ringing then InUse, a Cdr ANSWERED with a recording.
    case answered
    /// It rings and nobody answers: NewState Ringing then Idle (never InUse), a Cdr NO ANSWER,
    /// billsec 0.
    case noAnswer = "no-answer"
    /// The line is busy (in another call): no NewState for it (its state does not change; the
    /// documented states have no Busy), a Cdr BUSY, billsec 0.
    case busy
    /// It cannot be reached: no NewState for it, a Cdr FAILED, billsec 0.
    case failed

    /// The Cdr's `disposition` (api-v4.md §8.12.1, webhooks.md §4.14).
    public var disposition: String {
        switch self {
        case .answered: return "ANSWERED"
        case .noAnswer: return "NO ANSWER"
        case .busy: return "BUSY"
        case .failed: return "FAILED"
        }
    }
}
