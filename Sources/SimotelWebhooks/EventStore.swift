import Foundation
import SimotelKit

/// The recorded events: bounded (oldest dropped first), numbered from 1, and awaitable.
public final class EventStore: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var events: [ReceivedEvent] = []
    private var head = 0
    private var nextSequence = 1
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private var counts: [String: Int] = [:]

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// The number the next event will get.
    public var upcomingSequence: Int { lock.withLock { nextSequence } }

    /// Numbers an event, keeps it, and wakes whoever waits.
    @discardableResult
    public func append(_ make: (Int) -> ReceivedEvent) -> ReceivedEvent {
        let (event, toWake) = lock.withLock { () -> (ReceivedEvent, [CheckedContinuation<Void, Never>]) in
            let e = make(nextSequence)
            nextSequence += 1
            if events.count < capacity {
                events.append(e)
            } else {
                events[head] = e
                head = (head + 1) % capacity
            }
            counts[e.name, default: 0] += 1
            let w = Array(waiters.values)
            waiters.removeAll()
            return (e, w)
        }
        for c in toWake { c.resume() }
        return event
    }

    /// All kept events, oldest first.
    public var all: [ReceivedEvent] {
        lock.withLock { Array(events[head...] + events[..<head]) }
    }

    public func event(number: Int) -> ReceivedEvent? {
        lock.withLock { events.first { $0.sequence == number } }
    }

    /// How many events of each name arrived (including those no longer kept).
    public var countsByName: [String: Int] { lock.withLock { counts } }

    public func clear() {
        lock.withLock {
            events.removeAll()
            head = 0
        }
    }

    /// The first kept event numbered `from` or later that satisfies `match`, waiting for new ones
    /// until the deadline. Returns nil on timeout; throws CancellationError when cancelled.
    public func first(from: Int, until deadline: ContinuousClock.Instant, where match: (ReceivedEvent) -> Bool)
        async throws -> ReceivedEvent?
    {
        var scanned = from
        while true {
            try Task.checkCancellation()
            let candidates = lock.withLock { (events[head...] + events[..<head]).filter { $0.sequence >= scanned } }
            if let hit = candidates.first(where: match) { return hit }
            scanned = max(scanned, (candidates.last?.sequence ?? scanned - 1) + 1)
            guard ContinuousClock.now < deadline else { return nil }
            await waitForAppend(after: scanned, until: deadline)
        }
    }

    /// Suspends until an event is appended, the deadline passes, or the task is cancelled.
    private func waitForAppend(after scanned: Int, until deadline: ContinuousClock.Instant) async {
        let id = UUID()
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            self.resume(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock { () -> Bool in
                    if Task.isCancelled || nextSequence > scanned { return true }
                    waiters[id] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            self.resume(id)
        }
        timer.cancel()
    }

    private func resume(_ id: UUID) {
        let c = lock.withLock { waiters.removeValue(forKey: id) }
        c?.resume()
    }
}
