import Foundation
import SimshLanguage

/// What a long wait shows while it goes on: `waiting for Transfer (60 s, Ctrl-C to stop)…`, on a
/// terminal's standard error only (the sink decides), from 2 s into the wait until it ends.
extension Session {
    /// How long (seconds) a wait goes on before it says what it waits for: quick waits say nothing.
    static let waitingStatusDelay = 2.0

    /// Starts the timer of a wait's status line: after `waitingStatusDelay` it shows
    /// `waiting for WHAT (60 s, Ctrl-C to stop)…`. Nil for a wait no longer than the delay.
    /// Give it to `endWaitingStatus` when the wait ends, however it ends.
    func startWaitingStatus(for what: String, seconds: Double) -> Task<Void, any Error>? {
        guard seconds > Self.waitingStatusDelay else { return nil }
        let output = self.output
        let text = "waiting for \(what) (\(Self.waitingTime(seconds)), Ctrl-C to stop)…"
        return Task {
            try await Task.sleep(for: .seconds(Session.waitingStatusDelay))
            output.status(text)
        }
    }

    /// Stops the status line's timer and clears the line when it was shown.
    func endWaitingStatus(_ status: Task<Void, any Error>?) async {
        guard let status else { return }
        status.cancel()
        // The timer either was cancelled asleep (nothing shown) or showed the line.
        if case .success = await status.result { output.status(nil) }
    }

    /// `60 s`, `2.5 s`, `5 min`, `2 h`: how long the wait may take, as the status line says it.
    public static func waitingTime(_ seconds: Double) -> String {
        let s = min(max(0, seconds), DurationParser.maximum)
        let whole = s.rounded()
        if s >= 7200, s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600)) h" }
        if s >= 120, s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60)) min" }
        return s == whole ? "\(Int(whole)) s" : String(format: "%.1f s", s)
    }
}
