import NIOCore

/// Sits first in a connection's pipeline and protects the server from a client that sends too
/// slowly or not at all:
/// - a whole request (headers and body) must arrive within `requestTimeout` of its first byte,
///   however the bytes trickle in (an idle timeout alone is reset by every byte);
/// - a connection that sends nothing for `idleTimeout` is closed — counted from its last answer
///   when it waits for one (a reply computed later is not the client being idle).
/// It handles inbound events only, so the answers written do not pass through it. (The other
/// half, not reading a client that does not read its answers, is `HTTPRequestCollector`'s: it
/// is last in the pipeline, where a read request starts.)
final class ConnectionGuard: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let requestTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    /// When the request being read began (nil between requests).
    private var requestStarted: NIODeadline?
    private var lastRead = NIODeadline.now()
    /// Requests read whole and not answered yet.
    private var answersOwed = 0
    /// One check of each kind per connection at a time, not a timer per request or per read:
    /// when one fires, a request still arriving past its deadline, or a connection idle past its
    /// timeout, is closed; otherwise the check is armed again for the new deadline.
    private var requestCheck: Scheduled<Void>?
    private var idleCheck: Scheduled<Void>?

    init(requestTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        lastRead = .now()
        armIdle(context, at: lastRead + idleTimeout)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armIdle(context, at: lastRead + idleTimeout) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now()
        lastRead = now
        if requestStarted == nil {
            requestStarted = now
            if requestCheck == nil { armRequest(context, at: now + requestTimeout) }
        }
        context.fireChannelRead(data)
    }

    private func armRequest(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        requestCheck = context.eventLoop.scheduleTask(deadline: deadline) { [self] in
            requestCheck = nil
            guard let started = requestStarted else { return }
            if NIODeadline.now() >= started + requestTimeout {
                let reason = "request not complete within \(Self.words(requestTimeout))"
                loopBound.value.fireUserInboundEventTriggered(RequestTimedOut(reason: reason))
                loopBound.value.close(promise: nil)
            } else {
                armRequest(loopBound.value, at: started + requestTimeout)
            }
        }
    }

    private func armIdle(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        guard idleCheck == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleTask(deadline: deadline) { [self] in
            idleCheck = nil
            if answersOwed > 0 {
                armIdle(loopBound.value, at: .now() + idleTimeout)
            } else if NIODeadline.now() >= lastRead + idleTimeout {
                if requestStarted != nil {
                    let reason = "nothing received for \(Self.words(idleTimeout)) in the middle of a request"
                    loopBound.value.fireUserInboundEventTriggered(RequestTimedOut(reason: reason))
                }
                loopBound.value.close(promise: nil)
            } else {
                armIdle(loopBound.value, at: lastRead + idleTimeout)
            }
        }
    }

    /// The request being read is complete: its deadline no longer applies, and an answer is owed.
    func requestCompleted() {
        requestStarted = nil
        answersOwed += 1
    }

    /// An answer is being written: once none is owed, idleness counts from now.
    func answerWritten() {
        answersOwed = max(0, answersOwed - 1)
        if answersOwed == 0 { lastRead = .now() }
    }

    /// `30 s`, `500 ms`.
    static func words(_ time: TimeAmount) -> String {
        let ms = time.nanoseconds / 1_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }

    func channelInactive(context: ChannelHandlerContext) {
        requestCheck?.cancel()
        requestCheck = nil
        idleCheck?.cancel()
        idleCheck = nil
        context.fireChannelInactive()
    }
}

/// Sent down the pipeline just before the guard closes a connection in the middle of a request
/// (the request's deadline passed, or the client went quiet): the collector reports it (408).
struct RequestTimedOut {
    /// `request not complete within 30 s`.
    var reason: String
}
