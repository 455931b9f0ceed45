import NIOCore

/// Sits first in a connection's pipeline and protects the server from a client that sends too
/// slowly or not at all:
/// - a whole request (headers and body) must arrive within `requestTimeout` of its first byte,
///   however the bytes trickle in (an idle timeout alone is reset by every byte);
/// - a connection that sends nothing for `idleTimeout` is closed.
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
    /// One check per connection at a time, not a timer per request or per read: when it fires,
    /// a request still arriving past its deadline, or a connection idle past its timeout, is
    /// closed; otherwise it is armed again for the earlier of the two deadlines.
    private var check: Scheduled<Void>?

    init(requestTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        lastRead = .now()
        arm(context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now()
        lastRead = now
        if requestStarted == nil { requestStarted = now }
        context.fireChannelRead(data)
    }

    private var nextDeadline: NIODeadline {
        let idle = lastRead + idleTimeout
        guard let started = requestStarted else { return idle }
        return min(idle, started + requestTimeout)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard check == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleTask(deadline: nextDeadline) { [self] in
            check = nil
            if NIODeadline.now() >= nextDeadline {
                loopBound.value.close(promise: nil)
            } else {
                arm(loopBound.value)
            }
        }
    }

    /// The request being read is complete: its deadline no longer applies.
    func requestCompleted() {
        requestStarted = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }
}
