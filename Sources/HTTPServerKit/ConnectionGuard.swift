import NIOCore

/// Sits first in a connection's pipeline and protects the server from a client that sends too
/// slowly or reads too slowly:
/// - a whole request (headers and body) must arrive within `requestTimeout` of its first byte,
///   however the bytes trickle in (an idle timeout alone is reset by every byte);
/// - while the answers already written are not being read (the channel is not writable), the
///   connection is not read either, so a client that pipelines requests and never reads the
///   answers cannot make the server queue answers without bound; one that stays so for
///   `requestTimeout` is closed.
final class ConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let requestTimeout: TimeAmount
    /// When the request being read began (nil between requests).
    private var requestStarted: NIODeadline?
    /// One check per connection at a time, not a timer per request: when it fires, a request
    /// still arriving past its deadline closes the connection; one that began later re-arms it.
    private var requestCheck: Scheduled<Void>?
    private var stalledDeadline: Scheduled<Void>?
    private var readHeld = false

    init(requestTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if requestStarted == nil {
            let now = NIODeadline.now()
            requestStarted = now
            if requestCheck == nil { arm(context, at: now + requestTimeout) }
        }
        context.fireChannelRead(data)
    }

    private func arm(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        requestCheck = context.eventLoop.scheduleTask(deadline: deadline) { [self] in
            requestCheck = nil
            guard let started = requestStarted else { return }
            if NIODeadline.now() >= started + requestTimeout {
                loopBound.value.close(promise: nil)
            } else {
                arm(loopBound.value, at: started + requestTimeout)
            }
        }
    }

    /// The request being read is complete: its deadline no longer applies.
    func requestCompleted() {
        requestStarted = nil
    }

    func read(context: ChannelHandlerContext) {
        guard context.channel.isWritable else {
            readHeld = true
            if stalledDeadline == nil {
                let channel = context.channel
                stalledDeadline = context.eventLoop.scheduleTask(in: requestTimeout) { channel.close(promise: nil) }
            }
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stalledDeadline?.cancel()
            stalledDeadline = nil
            if readHeld {
                readHeld = false
                context.read()
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        requestCheck?.cancel()
        stalledDeadline?.cancel()
        context.fireChannelInactive()
    }
}
