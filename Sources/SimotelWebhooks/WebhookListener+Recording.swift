import Foundation
import HTTPServerKit
import SimotelKit

extension WebhookListener {
    /// Records and logs events (one `write`) and says how each is answered: 200 (with its reply,
    /// for a component request), or 503 when it could not be logged — then it is not kept
    /// either, so that Simotel sends it again.
    func record(_ pending: [Pending], receivedAt now: Date = Date(), ids: [Int64]? = nil) -> [ServerResponse] {
        guard !pending.isEmpty else { return [] }
        let (log, onEvent) = state.withLockedValue { ($0.log, $0.hooks.onEvent) }
        var failure: EventLog.WriteError?
        let events = store.append(count: pending.count) { i, number in
            let (request, decoded, reply) = pending[i]
            return ReceivedEvent(
                sequence: number, receivedAt: now, remoteAddress: request.remoteAddress, method: request.method,
                uri: request.uri, suffix: decoded.suffix, variant: decoded.variant, name: decoded.name,
                payload: decoded.fields, contentType: request.header("Content-Type"), body: request.body,
                reply: reply, lenient: decoded.lenient, record: ids.flatMap { i < $0.count ? $0[i] : nil })
        } commit: { events in
            guard let log else { return events.count }
            var bytes: [UInt8] = []
            var ends: [Int] = []
            ends.reserveCapacity(events.count)
            let time = ReceivedEvent.timestamp(now)
            for e in events {
                e.appendLogLine(to: &bytes, time: time)
                ends.append(bytes.count)
            }
            let (lines, error) = log.append(bytes, lineEnds: ends)
            failure = error
            return lines
        }
        if let failure { logFailed(failure, events: pending.count - events.count) } else if log != nil { logWorked() }
        countLenient(events)
        for event in events {
            onEvent?(event)
            if configuration.forwardTo != nil { forward(event) }
        }
        for (request, _, _) in pending[events.count...] {
            reject(request, 503, "event log cannot be written", "the event log cannot be written")
        }
        return pending.indices.map { i in
            guard i < events.count else { return .text(503, "event not logged; send it again later\n") }
            if let reply = pending[i].reply { return .json(200, reply.serialized()) }
            return .ok
        }
    }

    /// Records a component request answered with `reply`: kept and logged now, or, with a
    /// store, answered at once and stored, kept and logged right after.
    func recordComponent(_ p: Pending) -> ServerResponse {
        guard configuration.recordStore != nil, let reply = p.reply else { return record([p]).first ?? .ok }
        storeAfterReply([p], time: Date())
        return .json(200, reply.serialized())
    }

    /// Counts the events recorded from bodies read leniently, and warns once per kind of body.
    private func countLenient(_ events: [ReceivedEvent]) {
        guard events.contains(where: { $0.lenient != nil }) else { return }
        var first: [(quirk: LenientJSON.Quirk, event: String)] = []
        state.withLockedValue { state in
            for event in events {
                guard let quirk = event.lenient else { continue }
                state.lenientCounts[quirk, default: 0] += 1
                if state.lenientWarned.insert(quirk).inserted { first.append((quirk, event.name)) }
            }
        }
        for (quirk, name) in first {
            onWarning?(
                "\(name) accepted leniently: \(quirk.explanation); "
                    + "recorded with \"lenient\": \"\(quirk.rawValue)\" (a strict listener answers 400)")
        }
    }

    /// Warns once per streak of failed log writes, and counts every one.
    private func logFailed(_ error: Error, events: Int) {
        let first = state.withLockedValue { state -> Bool in
            state.logFailures += events
            defer { state.logFailing = true }
            return !state.logFailing
        }
        if first, let path = configuration.logFile {
            onWarning?("cannot write the event log \(path): \(error); events are answered 503 until it can")
        }
    }

    private func logWorked() {
        let recovered = state.withLockedValue { state -> Bool in
            defer { state.logFailing = false }
            return state.logFailing
        }
        if recovered, let path = configuration.logFile { onWarning?("the event log \(path) is written again") }
    }
}
