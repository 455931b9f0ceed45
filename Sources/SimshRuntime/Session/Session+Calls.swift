import Foundation
import SimotelKit
import SimotelWebhooks

/// Which events belong to one call: those whose `originated_call_id` is its id, those whose
/// unique id (`unique_id`, `cuid`) is its id, and those whose unique id is that of an event whose
/// `originated_call_id` is its id — Simotel's NewState carries only `unique_id`; IncomingCall,
/// OutgoingCall and Cdr carry both. The unique ids are learnt from the events it is shown, in
/// any order: a NewState that came first belongs once the IncomingCall after it names its id.
struct CallMembership: Sendable {
    let id: String
    /// The unique ids of the events whose `originated_call_id` is `id`.
    private(set) var uniqueIDs: Set<String> = []

    init(id: String) { self.id = id }

    /// Learns the call's unique id from `event` when its `originated_call_id` is the call's; true
    /// when that unique id is new (events seen before may belong now).
    @discardableResult
    mutating func learn(_ event: ReceivedEvent) -> Bool {
        let ids = CallIdentifiers.of(event.payload)
        guard ids.originated == id, let unique = ids.unique, unique != id else { return false }
        return uniqueIDs.insert(unique).inserted
    }

    func contains(_ event: ReceivedEvent) -> Bool {
        let ids = CallIdentifiers.of(event.payload)
        if ids.originated == id { return true }
        guard let unique = ids.unique else { return false }
        return unique == id || uniqueIDs.contains(unique)
    }
}

/// The events of a call check's window as they are read, in arrival order: all of them and the
/// call's. Events before the window only teach the call's unique ids.
struct CallScan {
    var membership: CallMembership
    /// The number of the window's first event.
    let from: Int
    /// The most window events kept (the listener keeps no more).
    let limit: Int
    private(set) var window: [ReceivedEvent] = []
    private(set) var belonging: [ReceivedEvent] = []

    init(_ membership: CallMembership, from: Int, limit: Int) {
        self.membership = membership
        self.from = from
        self.limit = max(1, limit)
    }

    /// Reads events newer than those read before.
    mutating func add(_ events: [ReceivedEvent]) {
        guard !events.isEmpty else { return }
        var learned = false
        for event in events {
            if membership.learn(event) { learned = true }
        }
        let fresh = events.filter { $0.sequence >= from }
        window += fresh
        if window.count > 2 * limit {
            window.removeFirst(window.count - limit)
            learned = true
        }
        let known = membership
        if learned {
            belonging = window.filter { known.contains($0) }
        } else {
            belonging += fresh.filter { known.contains($0) }
        }
    }

    /// The window's events that are not the call's.
    var others: [ReceivedEvent] {
        let mine = Set(belonging.map(\.sequence))
        return window.filter { !mine.contains($0.sequence) }
    }
}

/// How a wait on a call's events ended.
enum CallWaitOutcome {
    /// The event the check was looking for.
    case found(ReceivedEvent)
    /// None in time: what came.
    case timedOut(CallWaitReport)
}

/// What a call check that timed out saw, for its failure.
struct CallWaitReport {
    /// The call's events in the window, in arrival order.
    var arrived: [ReceivedEvent]
    /// The window's other events.
    var others: [ReceivedEvent]
    /// The number of the window's first event (what the listener refused since then counts).
    var from: Int
}

extension Session {
    /// Waits until `satisfied` finds its event among the events of call `id` (`CallMembership`)
    /// received since the start of the previous command (`afterLastWait`: and after the last
    /// event a wait returned), given in arrival order, and again as more arrive. The event found
    /// is the last one waited for from then on. On a terminal, a wait past 2 s shows `waiting for
    /// LABEL (…)…` until it ends.
    func waitForCall(
        _ id: String, seconds: Double, label: String, afterLastWait: Bool,
        satisfied: ([ReceivedEvent]) -> ReceivedEvent?
    ) async throws -> CallWaitOutcome {
        let store = try requireListener().store
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        let from = afterLastWait ? max(previousCommandMark, lastWaitedSequence + 1) : previousCommandMark
        var scan = CallScan(CallMembership(id: id), from: from, limit: store.capacity)
        let status = startWaitingStatus(for: label, seconds: seconds)
        // Every kept event is read once (the older ones teach the call's unique ids), then each new one.
        var next = 0
        var hit: ReceivedEvent?
        do {
            while true {
                let new = store.events(since: next)
                if let last = new.last { next = last.sequence + 1 }
                scan.add(new)
                hit = satisfied(scan.belonging)
                if hit != nil || ContinuousClock.now >= deadline { break }
                // Until anything new arrives (or the deadline): then the call's events are looked at again.
                _ = try await store.first(from: next, until: deadline) { _ in true }
            }
        } catch {
            await endWaitingStatus(status)
            throw error
        }
        await endWaitingStatus(status)
        guard let found = hit else {
            return .timedOut(CallWaitReport(arrived: scan.belonging, others: scan.others, from: from))
        }
        lastWaitedSequence = max(lastWaitedSequence, found.sequence)
        return .found(found)
    }

    /// `NewState #3 12:00:01.123, Cdr #7 12:00:01.301`: the first `limit` events (with the time
    /// each arrived when `times`), then how many more.
    static func listed(_ events: [ReceivedEvent], times: Bool, limit: Int = 10) -> String {
        var parts = events.prefix(limit).map { e in
            "\(e.name) #\(e.number)" + (times ? " " + Session.clockTime(e.receivedAt) : "")
        }
        if events.count > limit { parts.append("… \(events.count - limit) more") }
        return parts.joined(separator: ", ")
    }
}
