import HTTPServerKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SimotelKit

extension WebhookListener {
    /// Runs a rule's computation within the deadline (else `{"ok":"0"}`, with a warning), then
    /// records the request with the reply sent.
    func computeReply(
        _ request: ServerRequest, _ decoded: WebhookDecoder.Decoded, rule: String, within: Duration?,
        _ compute: @escaping @Sendable () async -> JSONValue?
    ) -> EventLoopFuture<ServerResponse> {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let promise = loop.makePromise(of: ServerResponse.self)
        let refused: JSONValue = ComponentKind.declined
        guard computing.start(limit: Self.computingLimit) else {
            onWarning?(
                "more than \(Self.computingLimit) component replies being computed at once; "
                    + "'\(rule)' answered \(ComponentKind.declined.serialized())")
            promise.succeed(recordComponent((request, decoded, refused)))
            return promise.futureResult
        }
        // What the rule's work holds comes out of the budget of kept events (--keep-bytes):
        // past it the request is answered at once, as when no rule says.
        let cost = Self.computingCost(request)
        let store = self.store
        guard store.reserve(cost) else {
            computing.end()
            onWarning?(
                "component requests being answered by rules would take more than --keep-bytes "
                    + "(\(store.byteCapacity) bytes); '\(rule)' answered \(ComponentKind.declined.serialized())")
            promise.succeed(recordComponent((request, decoded, refused)))
            return promise.futureResult
        }
        computeWithDeadline(
            request, decoded, rule: rule, deadline: within ?? componentDeadline, cost: cost, on: loop,
            promise: promise, compute)
        return promise.futureResult
    }

    /// Completes `promise` with the computed reply, or `{"ok":"0"}` when the deadline comes first.
    private func computeWithDeadline(
        _ request: ServerRequest, _ decoded: WebhookDecoder.Decoded, rule: String, deadline: Duration, cost: Int,
        on loop: EventLoop, promise: EventLoopPromise<ServerResponse>,
        _ compute: @escaping @Sendable () async -> JSONValue?
    ) {
        let refused: JSONValue = ComponentKind.declined
        let store = self.store
        // Whichever comes first, the reply or the deadline. The deadline is the event loop's
        // timer, not a task: scripts busy on every thread of Swift's task pool cannot hold it
        // back. Past it the computation is cancelled and not waited for; it stays counted until
        // it has really ended (a cancelled script still busy is still using a thread).
        // The request is held until it is answered, and no longer: the deadline's timer keeps
        // `finish` until it fires, and must not keep a 1 MiB body with it.
        let held = NIOLockedValueBox<(ServerRequest, WebhookDecoder.Decoded)?>((request, decoded))
        let finish: @Sendable (JSONValue?, Bool) -> Void = { [self] reply, late in
            let taken = held.withLockedValue { h in
                defer { h = nil }
                return h
            }
            guard let taken else { return }
            if late {
                onWarning?(
                    """
                    the rule for '\(rule)' took longer than \(Int(deadline.milliseconds)) ms; \
                    answered \(ComponentKind.declined.serialized())
                    """
                )
            }
            promise.succeed(recordComponent((taken.0, taken.1, reply ?? refused)))
        }
        let work = Task { [computing] in
            finish(await compute(), false)
            // The script's copies of the request are gone, and its place free, once it has ended
            // (in time or not).
            store.release(cost)
            computing.end()
        }
        let (seconds, attoseconds) = deadline.components
        loop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {
            // Answered (and warned of) first, then cancelled: a cancelled script ends at once, and
            // its own ending must not come first as if it had ended in time without a reply.
            finish(nil, true)
            work.cancel()
        }
    }

    /// The most component replies computed at once; more are answered `{"ok":"0"}` at once.
    static let computingLimit = 64

    /// About what a rule's work on a request holds until its script ends, taken from the
    /// budget of kept events: the body, its parsed fields, `$request` in the script's session and
    /// what the script takes from it, plus the session itself. Measured: 64 requests of 1 MiB
    /// held by a rule's script took ~410 MB, 6.4 bytes for each byte of body.
    static func computingCost(_ request: ServerRequest) -> Int {
        (64 << 10) + (request.body.count + request.uri.utf8.count) * 6
    }
}

/// How the listener answers a dialplan component's request.
public enum ComponentAnswer: Sendable {
    /// This reply, at once.
    case reply(JSONValue)
    /// A reply computed for the request (an answer rule's script, named `rule`); nil, or past the
    /// deadline, is answered `{"ok":"0"}`.
    case compute(rule: String, within: Duration? = nil, @Sendable () async -> JSONValue?)
}

/// How many component replies are being computed, within a limit.
final class ComputingCount: Sendable {
    private let count = NIOLockedValueBox(0)

    /// Counts one more unless `limit` are running.
    func start(limit: Int) -> Bool {
        count.withLockedValue { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func end() { count.withLockedValue { $0 -= 1 } }
    var value: Int { count.withLockedValue { $0 } }
}
