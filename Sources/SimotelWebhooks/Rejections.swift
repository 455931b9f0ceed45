import Foundation
import HTTPServerKit
import NIOCore

/// What the listener keeps of the requests it refused: a count for each status and kind of
/// refusal with the last one (its sender, time and reason), and how often each kind is shown:
/// one line a second at most; the ones held back are summed up in one line when the second is
/// over. Bounded: one entry per kind, and kinds are a handful of fixed words (`no such path`);
/// and the last 32 refusals, for a wait's explanation of an event that did not come.
struct Rejections {
    struct Key: Hashable, Sendable {
        var status: Int
        var kind: String
    }

    struct Entry {
        var count = 0
        var last: ServerRejection
        var lastAt: Date
        /// When a line of this kind was last shown (a summary counts).
        var shownAt: NIODeadline?
        /// Refusals since that line, not shown and not summed up yet.
        var held = 0
        /// A summary of the held ones is scheduled.
        var summaryDue = false
    }

    /// What to do with a refusal just counted.
    enum Decision: Equatable {
        /// Show its line; `more` were held back before it and not summed up yet.
        case show(more: Int)
        /// Hold it back: a summary is scheduled already.
        case hold
        /// Hold it back and schedule the summary of its kind at `at`.
        case holdAndSummarize(Key, at: NIODeadline)
    }

    /// At most one line of each kind in this time.
    static let interval = TimeAmount.seconds(1)
    /// More kinds than this (there are about fifteen) are counted as `other`.
    static let maxKinds = 64

    /// One refusal as it came, with the number the listener's next event was to get then.
    struct Recent {
        var rejection: ServerRejection
        var at: Date
        var eventMark: Int
    }

    /// The most refusals `recentRefusals` keeps (what a wait's explanation names).
    static let recentLimit = 32

    private(set) var entries: [Key: Entry] = [:]
    private(set) var total = 0
    /// The last refusals, oldest first, and how many older ones were let go.
    private(set) var recentRefusals = CircularBuffer<Recent>()
    private(set) var recentDropped = 0

    /// Keeps `rejection`, refused at `date` while the next event was to be numbered `eventMark`,
    /// among the last `recentLimit`.
    mutating func remember(_ rejection: ServerRejection, at date: Date, eventMark: Int) {
        if recentRefusals.count >= Self.recentLimit {
            recentRefusals.removeFirst()
            recentDropped += 1
        }
        recentRefusals.append(Recent(rejection: rejection, at: date, eventMark: eventMark))
    }

    /// The kept refusals made while the next event was to be numbered `mark` or later, oldest
    /// first; `complete` is false when refusals of that time may have been let go.
    func refusals(sinceEvent mark: Int) -> (entries: [Recent], complete: Bool) {
        let entries: [Recent] = recentRefusals.filter { $0.eventMark >= mark }.map { $0 }
        let complete = recentDropped == 0 || (recentRefusals.first.map { $0.eventMark < mark } ?? true)
        return (entries, complete)
    }

    /// Counts `rejection`, received at `date` (`now` on the monotonic clock), and says whether to show it.
    mutating func note(_ rejection: ServerRejection, at date: Date, now: NIODeadline) -> Decision {
        total += 1
        var key = Key(status: rejection.status, kind: rejection.kind)
        if entries[key] == nil, entries.count >= Self.maxKinds { key.kind = "other" }
        var entry = entries[key] ?? Entry(last: rejection, lastAt: date)
        entry.count += 1
        entry.last = rejection
        entry.lastAt = date
        let decision: Decision
        if let shown = entry.shownAt, now < shown + Self.interval {
            entry.held += 1
            decision = entry.summaryDue ? .hold : .holdAndSummarize(key, at: shown + Self.interval)
            entry.summaryDue = true
        } else {
            decision = .show(more: entry.held)
            entry.held = 0
            entry.shownAt = now
        }
        entries[key] = entry
        return decision
    }

    /// The refusals of `key` held back and not summed up yet: their number and the last of them.
    /// From `now` their summary counts as the line of its kind shown.
    mutating func takeSummary(of key: Key, now: NIODeadline) -> (count: Int, last: ServerRejection)? {
        guard var entry = entries[key] else { return nil }
        entry.summaryDue = false
        var summary: (count: Int, last: ServerRejection)?
        if entry.held > 0 {
            summary = (entry.held, entry.last)
            entry.held = 0
            entry.shownAt = now
        }
        entries[key] = entry
        return summary
    }

    /// Every summary not shown yet (the listener stops).
    mutating func takeAllSummaries(now: NIODeadline) -> [(count: Int, last: ServerRejection)] {
        var all: [(count: Int, last: ServerRejection)] = []
        for key in entries.keys.sorted(by: { ($0.status, $0.kind) < ($1.status, $1.kind) }) {
            if let summary = takeSummary(of: key, now: now) { all.append(summary) }
        }
        return all
    }

    /// The counts, by status then kind.
    var counts: [RejectionCount] {
        entries.sorted { ($0.key.status, $0.key.kind) < ($1.key.status, $1.key.kind) }.map { key, entry in
            RejectionCount(
                status: key.status, kind: key.kind, count: entry.count, lastFrom: entry.last.remoteAddress,
                lastAt: entry.lastAt, lastReason: entry.last.reason)
        }
    }
}

/// One request the listener refused, as a wait's explanation names it (`rejections(sinceEvent:)`).
public struct RecentRejection: Sendable, Equatable {
    public var status: Int
    /// The kind of refusal in a few words (`wrong password`): the same for every request of its kind.
    public var kind: String
    /// Why it was refused, in words (never the password).
    public var reason: String
    /// `POST /simotel/Cdr`, or `a request` when its head was not read.
    public var request: String
    /// `ip:port` of the sender.
    public var from: String
    public var at: Date
}

/// The requests the listener refused with one status for one kind of reason (`401`, `no Basic credentials`).
public struct RejectionCount: Sendable, Equatable {
    public var status: Int
    public var kind: String
    public var count: Int
    /// The last one: its sender (`ip:port`), when it came, and why it was refused, in words.
    public var lastFrom: String
    public var lastAt: Date
    public var lastReason: String
}
