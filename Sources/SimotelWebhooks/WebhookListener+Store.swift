import Foundation
import HTTPServerKit
import NIOCore
import NIOPosix
import SimotelKit
import SimshRecords

/// The event store beside the log: an event is stored before it is answered 200 (a failed
/// write is answered 503, so that Simotel sends it again); a component request is answered at
/// once — Simotel waits 1 s for the reply — and stored right after, a failed write counted and
/// warned of.
extension WebhookListener {
    /// Answers a turn's requests when the listener has a store: the events among them after
    /// one write of all of them, each component request at once.
    func handleStored(_ received: [Received], store: any RecordStore, on loop: any EventLoop) -> [ServerReply] {
        var events: [Pending] = []
        var components: [Pending] = []
        for case .event(let p) in received {
            if p.reply == nil { events.append(p) } else { components.append(p) }
        }
        let now = Date()
        var answers: EventLoopFuture<[ServerResponse]>?
        if !events.isEmpty {
            let records = events.map { storedRecord($0, time: now) }
            answers = store.write(records, on: loop).hop(to: loop).map { ids in
                self.storeWorked()
                return self.record(events, receivedAt: now, ids: ids)
            }.flatMapErrorThrowing { error in
                self.storeFailed(error, count: events.count)
                for p in events {
                    self.reject(p.request, 503, "event store cannot be written", "the event store cannot be written")
                }
                return events.map { _ in .text(503, "event not stored; send it again later\n") }
            }
        }
        if !components.isEmpty { storeAfterReply(components, time: now) }
        var eventIndex = 0
        return received.map { r in
            switch r {
            case .answered(let response): return .now(response)
            case .event(let p) where p.reply != nil:
                return .now(.json(200, p.reply!.serialized()))
            case .event:
                let i = eventIndex
                eventIndex += 1
                return .later(answers!.map { $0[i] })
            case .computed(let request, let decoded, let rule, let within, let compute):
                return .later(computeReply(request, decoded, rule: rule, within: within, compute))
            }
        }
    }

    /// Stores component requests answered already, then keeps and logs them (with the store's
    /// numbers; without them when the store could not be written).
    func storeAfterReply(_ pending: [Pending], time: Date) {
        guard let store = configuration.recordStore else {
            _ = record(pending, receivedAt: time, ids: nil)
            return
        }
        let records = pending.map { storedRecord($0, time: time) }
        Task {
            var ids: [Int64]?
            do {
                ids = try await store.write(records)
                storeWorked()
            } catch {
                storeFailed(error, count: pending.count)
            }
            _ = record(pending, receivedAt: time, ids: ids)
        }
    }

    /// The record of an event or a component request, as the log writes it (without the
    /// session's number), with the call's identifiers taken out.
    func storedRecord(_ p: Pending, time: Date) -> StoredRecord {
        let e = ReceivedEvent(
            sequence: 0, receivedAt: time, remoteAddress: p.request.remoteAddress, method: p.request.method,
            uri: p.request.uri, suffix: p.decoded.suffix, variant: p.decoded.variant, name: p.decoded.name,
            payload: p.decoded.fields, contentType: p.request.header("Content-Type"), body: p.request.body,
            reply: p.reply, lenient: p.decoded.lenient)
        var line: [UInt8] = []
        e.appendLogLine(to: &line, time: ReceivedEvent.timestamp(time), numbered: false)
        if line.last == 0x0A { line.removeLast() }
        if let reply = p.reply {
            // The reply given, inside the object (the log line ends with the payload).
            if line.last == UInt8(ascii: "}") { line.removeLast() }
            line += #","reply":"#.utf8
            line += reply.serialized().utf8
            line += "}".utf8
        }
        let ids = CallIdentifiers.of(e.payload)
        return StoredRecord(
            kind: p.reply == nil ? .event : .component, time: time, name: e.name, callID: ids.originated,
            uniqueID: ids.unique, source: storeSource, body: String(decoding: line, as: UTF8.self))
    }

    /// Who stored a record: `listener HOST:PORT`.
    var storeSource: String {
        let port = state.withLockedValue { $0.boundPort } ?? configuration.port
        return "listener \(configuration.host):\(port) pid \(getpid())"
    }

    /// Warns once per streak of failed store writes, and counts every one.
    func storeFailed(_ error: any Error, count: Int) {
        let first = state.withLockedValue { state -> Bool in
            state.storeFailures += count
            defer { state.storeFailing = true }
            return !state.storeFailing
        }
        if first {
            onWarning?("cannot write the event store: \(error); events are answered 503 until it can")
        }
    }

    func storeWorked() {
        let recovered = state.withLockedValue { state -> Bool in
            defer { state.storeFailing = false }
            return state.storeFailing
        }
        if recovered { onWarning?("the event store is written again") }
    }

    /// Records that could not be stored (events answered 503, component requests kept unstored).
    public var storeFailureCount: Int { state.withLockedValue { $0.storeFailures } }
}
