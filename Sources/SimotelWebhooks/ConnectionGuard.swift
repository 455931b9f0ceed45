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
    private var requestDeadline: Scheduled<Void>?
    private var stalledDeadline: Scheduled<Void>?
    private var readHeld = false
    private var betweenRequests = true

    init(requestTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if betweenRequests {
            betweenRequests = false
            let channel = context.channel
            requestDeadline = context.eventLoop.scheduleTask(in: requestTimeout) { channel.close(promise: nil) }
        }
        context.fireChannelRead(data)
    }

    /// The request being read is complete: its deadline no longer applies.
    func requestCompleted() {
        requestDeadline?.cancel()
        requestDeadline = nil
        betweenRequests = true
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
        requestDeadline?.cancel()
        stalledDeadline?.cancel()
        context.fireChannelInactive()
    }
}
