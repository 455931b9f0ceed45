import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SimotelKit

/// The recorded events: bounded by count and by bytes (oldest dropped first), numbered from 1
/// without gaps, and awaitable. Kept events are consecutive in number, so finding the events
/// since a number is an index into the ring, and a waiter's wake costs only the new events.
/// The byte budget also covers work in progress on requests not yet recorded (`reserve`: a
/// rule's script answering a component request).
public final class EventStore: Sendable {
    public let capacity: Int
    /// The most bytes kept (as estimated by `ReceivedEvent.memoryCost`).
    public let byteCapacity: Int

    private struct State {
        var events = CircularBuffer<ReceivedEvent>()
        var bytes = 0
        var nextSequence = 1
        var dropped = 0
        /// Bytes of the budget held by work in progress (`reserve`).
        var reserved = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var counts: [String: Int] = [:]

        /// The kept events numbered `from` or later (a copy of just those), at most `limit` of them.
        func since(_ from: Int, limit: Int = .max) -> [ReceivedEvent] {
            guard let first = events.first?.sequence else { return [] }
            let offset = max(0, from - first)
            guard offset < events.count else { return [] }
            let start = events.index(events.startIndex, offsetBy: offset)
            let end = events.index(start, offsetBy: min(limit, events.count - offset))
            return Array(events[start..<end])
        }
    }

    private let state = NIOLockedValueBox(State())
    /// How long a waiter lets non-matching events gather before it looks again.
    static let coalescing: Duration = .milliseconds(2)
    /// How long a waiter looks every `coalescing` before it asks to be woken instead.
    static let polling: Duration = .milliseconds(50)
    /// The most events a waiter copies at one look, and at its first.
    static let lookLimit = 256
    static let firstLook = 8

    public init(capacity: Int = 10_000, byteCapacity: Int = 64 << 20) {
        self.capacity = max(1, capacity)
        self.byteCapacity = max(1, byteCapacity)
    }

    /// The number the next event will get.
    public var upcomingSequence: Int { state.withLockedValue { $0.nextSequence } }

    /// Numbers `count` events (`make(i, number)`), commits them (`commit` runs under the store's
    /// lock with all of them, so committed events are in number order: the log, and says how
    /// many of them, from the first, it committed), keeps the committed ones and wakes whoever
    /// waits. Events not committed are neither numbered nor kept.
    @discardableResult
    public func append(
        count: Int, _ make: (_ index: Int, _ number: Int) -> ReceivedEvent,
        commit: ([ReceivedEvent]) -> Int = { $0.count }
    ) -> [ReceivedEvent] {
        guard count > 0 else { return [] }
        let (events, toWake) = state.withLockedValue {
            s -> ([ReceivedEvent], [CheckedContinuation<Void, Never>]) in
            var made: [ReceivedEvent] = []
            made.reserveCapacity(count)
            for i in 0..<count { made.append(make(i, s.nextSequence + i)) }
            let committed = min(max(0, commit(made)), count)
            made.removeLast(count - committed)
            guard committed > 0 else { return ([], []) }
            s.nextSequence += committed
            // Counted by runs of one name (a batch is mostly one kind): a hash per run, not per event.
            var run: (name: String, count: Int)?
            for e in made {
                s.events.append(e)
                s.bytes += e.memoryCost
                if let r = run, r.name == e.name {
                    run = (r.name, r.count + 1)
                } else {
                    if let r = run { s.counts[r.name, default: 0] += r.count }
                    run = (e.name, 1)
                }
            }
            if let r = run { s.counts[r.name, default: 0] += r.count }
            trim(&s)
            let w = Array(s.waiters.values)
            s.waiters.removeAll()
            return (made, w)
        }
        for c in toWake { c.resume() }
        return events
    }

    /// Drops the oldest events beyond the count, or beyond the bytes the budget leaves beside
    /// the work in progress; the newest event is always kept.
    private func trim(_ s: inout State) {
        while s.events.count > capacity || (s.bytes + s.reserved > byteCapacity && s.events.count > 1) {
            let old = s.events.removeFirst()
            s.bytes -= old.memoryCost
            s.dropped += 1
        }
    }

    /// Takes `bytes` of the byte budget for work in progress on a request (a rule's script
    /// answering it holds the request, its fields and the script's copies), dropping kept
    /// events, oldest first, to make room. False, and nothing taken, when the work already in
    /// progress leaves no room for it; the first is always let in (as the newest event is always
    /// kept). Given back with `release`.
    public func reserve(_ bytes: Int) -> Bool {
        state.withLockedValue { s -> Bool in
            guard s.reserved == 0 || s.reserved + bytes <= byteCapacity else { return false }
            s.reserved += bytes
            trim(&s)
            return true
        }
    }

    /// Gives back what `reserve` took.
    public func release(_ bytes: Int) {
        state.withLockedValue { $0.reserved = max(0, $0.reserved - bytes) }
    }

    /// The bytes of the budget work in progress holds (`reserve`).
    public var reservedBytes: Int { state.withLockedValue { $0.reserved } }

    /// Numbers one event, keeps it and wakes whoever waits.
    @discardableResult
    public func append(_ make: (Int) -> ReceivedEvent) -> ReceivedEvent {
        append(count: 1) { _, number in make(number) }[0]
    }

    /// All kept events, oldest first.
    public var all: [ReceivedEvent] { state.withLockedValue { Array($0.events) } }

    /// The kept events numbered `from` or later, oldest first.
    public func events(since from: Int) -> [ReceivedEvent] { state.withLockedValue { $0.since(from) } }

    public func event(number: Int) -> ReceivedEvent? {
        state.withLockedValue { s in
            guard let first = s.events.first?.sequence, number >= first, number - first < s.events.count else {
                return nil
            }
            return s.events[s.events.index(s.events.startIndex, offsetBy: number - first)]
        }
    }

    /// How many events of each name arrived (including those no longer kept).
    public var countsByName: [String: Int] { state.withLockedValue { $0.counts } }

    /// How many events were dropped to keep within the count and byte bounds.
    public var dropped: Int { state.withLockedValue { $0.dropped } }

    /// What the kept events take, and how many there are.
    public var usage: (events: Int, bytes: Int) { state.withLockedValue { ($0.events.count, $0.bytes) } }

    public func clear() {
        state.withLockedValue {
            $0.events.removeAll()
            $0.bytes = 0
        }
    }

    /// The first kept event numbered `from` or later that satisfies `match`, waiting for new ones
    /// until the deadline. Returns nil on timeout; throws CancellationError when cancelled. Each
    /// wake copies only the events that arrived since the last look, and `match` runs outside the
    /// lock the listener appends under.
    public func first(
        from: Int, until deadline: ContinuousClock.Instant, where match: (ReceivedEvent) -> Bool
    ) async throws -> ReceivedEvent? {
        var scanned = from
        // A bounded look each time: a waiter far behind does not copy thousands of events to find
        // that the first one matches. It starts small (a script in a loop of waits that match
        // finds its event first, and holds the lock the listener appends under for a few
        // retains) and grows while nothing matches.
        var look = Self.firstLook
        while true {
            try Task.checkCancellation()
            let limit = look
            let (candidates, next) = state.withLockedValue {
                ($0.since(scanned, limit: limit), $0.nextSequence)
            }
            if let hit = candidates.first(where: match) { return hit }
            scanned = candidates.last.map { $0.sequence + 1 } ?? max(scanned, next)
            if candidates.count == limit {
                look = min(look * 4, Self.lookLimit)
                continue
            }
            guard ContinuousClock.now < deadline else { return nil }
            if !candidates.isEmpty {
                // Events are arriving that do not match: look again in a moment rather than at
                // every one, so a waiter costs the listener little however fast they come.
                try await Task.sleep(until: min(deadline, ContinuousClock.now + Self.coalescing), clock: .continuous)
                continue
            }
            await waitForAppend(after: scanned, until: deadline)
        }
    }

    /// Suspends until an event numbered `after` or later is appended, the deadline passes, or
    /// the task is cancelled.
    private func waitForAppend(after scanned: Int, until deadline: ContinuousClock.Instant) async {
        // While events keep coming, looking again every couple of milliseconds costs less than
        // a timer for each wait and a wake from the event loop for each append.
        let pollUntil = min(deadline, ContinuousClock.now + Self.polling)
        while ContinuousClock.now < pollUntil {
            try? await Task.sleep(until: min(pollUntil, ContinuousClock.now + Self.coalescing), clock: .continuous)
            if Task.isCancelled || state.withLockedValue({ $0.nextSequence > scanned }) { return }
        }
        guard ContinuousClock.now < deadline else { return }
        let id = state.withLockedValue { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.resume(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLockedValue { s -> Bool in
                    if Task.isCancelled || s.nextSequence > scanned { return true }
                    s.waiters[id] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            self.resume(id)
        }
        timer.cancel()
    }

    private func resume(_ id: Int) {
        let c = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
        c?.resume()
    }
}

extension ReceivedEvent {
    /// About what a kept event takes in memory: the raw body and its parsed fields (each string
    /// of the payload is a separate allocation) plus the request's text. Used to bound the store.
    public var memoryCost: Int {
        512 + body.count * 2 + uri.utf8.count * 2 + remoteAddress.utf8.count + variant.utf8.count + name.utf8.count
    }
}
