import Foundation
import HTTPServerKit
import NIOCore
import NIOPosix

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Refused requests: counted by status and kind with the last sender (`listen status`), and
/// shown as they come (`onRejection`), one line a second at most for each kind.
extension WebhookListener {
    /// The requests refused so far, by status then kind.
    public var rejections: [RejectionCount] { state.withLockedValue { $0.rejections.counts } }

    /// The last refusals (at most 32), oldest first, made while the next event was to be
    /// numbered `mark` or later: those of a wait whose window starts at event `mark` (one made
    /// just before the window's first event counts, as no event came between them). `complete`
    /// is false when older refusals of that time were let go.
    public func rejections(sinceEvent mark: Int) -> (recent: [RecentRejection], complete: Bool) {
        let (entries, complete) = state.withLockedValue { $0.rejections.refusals(sinceEvent: mark) }
        let recent = entries.map { e in
            RecentRejection(
                status: e.rejection.status, kind: e.rejection.kind, reason: e.rejection.reason,
                request: Self.what(e.rejection), from: e.rejection.remoteAddress, at: e.at)
        }
        return (recent, complete)
    }

    /// Counts a refused request and shows its line, unless one of its kind was shown less than a
    /// second ago: those are summed up in one line (`… and 19 more`) when the second is over.
    /// Called on the event loops: a lock, a dictionary entry, and at most a line a second per kind.
    func noteRejection(_ rejection: ServerRejection) {
        let date = Date()
        // Where it falls among the events: a wait's explanation names the refusals of its window.
        let mark = store.upcomingSequence
        let (decision, show) = state.withLockedValue { state in
            state.rejections.remember(rejection, at: date, eventMark: mark)
            return (state.rejections.note(rejection, at: date, now: .now()), state.hooks.onRejection)
        }
        switch decision {
        case .show(let more): show?(Self.rejectionLine(rejection, at: date, more: more))
        case .hold: break
        case .holdAndSummarize(let key, let deadline):
            MultiThreadedEventLoopGroup.singleton.any().scheduleTask(deadline: deadline) { [weak self] in
                self?.showRejectionSummary(of: key)
            }
        }
    }

    /// A refusal of `request` by the listener (401, 404, 405, 400, 503).
    func reject(_ request: ServerRequest, _ status: Int, _ kind: String, _ reason: String) {
        noteRejection(ServerRejection(status: status, kind: kind, reason: reason, request: request))
    }

    private func showRejectionSummary(of key: Rejections.Key) {
        let (summary, show) = state.withLockedValue { state in
            (state.rejections.takeSummary(of: key, now: .now()), state.hooks.onRejection)
        }
        if let summary { show?(Self.summaryText(summary, at: Date())) }
    }

    /// Shows the summaries not shown yet: the listener stops.
    func flushRejectionSummaries() {
        let (summaries, show) = state.withLockedValue { state in
            (state.rejections.takeAllSummaries(now: .now()), state.hooks.onRejection)
        }
        let date = Date()
        for summary in summaries { show?(Self.summaryText(summary, at: date)) }
    }

    /// The line for those not shown: one more is that one's own line, not a count of one.
    static func summaryText(_ summary: (count: Int, last: ServerRejection), at date: Date) -> String {
        summary.count == 1
            ? rejectionLine(summary.last, at: date, more: 0) : summaryLine(summary.count, like: summary.last, at: date)
    }

    /// `18:02:11 rejected POST /simotel/Cdr from 127.0.0.1:51234: 401: no Basic credentials; …`
    static func rejectionLine(_ r: ServerRejection, at date: Date, more: Int) -> String {
        "\(clockTime(date)) rejected \(what(r)) from \(r.remoteAddress): \(r.status): \(r.reason)"
            + (more > 0 ? " (… and \(more) more before it)" : "")
    }

    /// `18:02:12 … and 19 more rejected: 404 no such path (the last GET /x from 127.0.0.1:5555)`
    static func summaryLine(_ count: Int, like r: ServerRejection, at date: Date) -> String {
        "\(clockTime(date)) … and \(count) more rejected: \(r.status) \(r.kind) "
            + "(the last \(what(r)) from \(r.remoteAddress))"
    }

    /// `POST /simotel/Cdr`, the path cut at 100 characters; `a request` when its head was not read.
    private static func what(_ r: ServerRejection) -> String {
        guard let method = r.method, let path = r.path else { return "a request" }
        let shown = path.count > 100 ? String(path.prefix(100)) + "…" : path
        return "\(escaped(String(method.prefix(16)))) \(escaped(shown))"
    }

    /// Control characters and spaces a decoded path may hold (`%0a`) as `%XX`: a sender cannot
    /// start a line of its own in what simsh prints.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            return text
        }
        var out = ""
        for c in text.unicodeScalars {
            if c.value <= 0x20 || (0x7F...0x9F).contains(c.value) {
                out += "%" + String(format: "%02X", c.value)
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `19:16:23`, local time.
    public static func clockTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// Why a request without the right Basic credentials is refused, in words: never the
    /// password, nor the header.
    static func whyUnauthorized(_ request: ServerRequest, _ auth: (user: String, password: String))
        -> (kind: String, reason: String)
    {
        let expects = "this listener expects user '\(auth.user)'"
        let header = (request.header("Authorization") ?? "").trimmingCharacters(in: .whitespaces)
        guard !header.isEmpty else { return ("no Basic credentials", "no Basic credentials; \(expects)") }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts[0].lowercased() == "basic" else {
            // A scheme's name (`Bearer`) is said; a bare token is not.
            let scheme = parts[0]
            let named = parts.count == 2 && scheme.count <= 16 && scheme.allSatisfy { $0.isLetter }
            let what = named ? "\(scheme) credentials, not Basic" : "credentials that are not Basic"
            return ("not Basic credentials", "\(what); \(expects)")
        }
        guard parts.count == 2, let decoded = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else {
            return (
                "unreadable Basic credentials", "Basic credentials that are not base64 of user:password; \(expects)"
            )
        }
        let given = String(text[..<colon])
        guard given == auth.user else {
            // A sender that put the password where the user goes: it is not written out.
            if !auth.password.isEmpty, given.contains(auth.password) {
                return (
                    "wrong user",
                    "a user name that is not the expected user '\(auth.user)' (not shown: it holds the password)"
                )
            }
            let shown = given.count > 64 ? String(given.prefix(64)) + "…" : given
            return ("wrong user", "user '\(shown)' is not the expected user '\(auth.user)'")
        }
        return ("wrong password", "wrong password for user '\(auth.user)'")
    }

    /// Why a path is not an event address: where events go instead.
    var notFoundReason: String {
        "no such path; events go to \(url) (or \(eventPath)EVENT_NAME)"
    }
}
