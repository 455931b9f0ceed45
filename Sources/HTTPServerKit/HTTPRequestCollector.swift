import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Collects one request's head and body (refusing bodies over the limit with 413),
/// runs the async handler and writes its answer. Idle connections are closed.
final class HTTPRequestCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: ServerLimits
    private let logger: Logger
    private let inFlight: InFlightCounter
    private let responder: HTTPServer.Responder
    private let onRejected: (@Sendable (Int) -> Void)?
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    /// A 413 went out before the body: the rest of the body is read (and dropped) before the
    /// connection closes, so that the client, still sending, gets to read the answer.
    private var closeAtEnd = false
    private let connectionGuard: ConnectionGuard

    init(
        limits: ServerLimits, logger: Logger, inFlight: InFlightCounter, onRejected: (@Sendable (Int) -> Void)?,
        responder: HTTPServer.Responder, connectionGuard: ConnectionGuard
    ) {
        self.connectionGuard = connectionGuard
        self.onRejected = onRejected
        self.limits = limits
        self.logger = logger
        self.inFlight = inFlight
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
            tooLarge = false
            if let length = h.headers.first(name: "Content-Length").flatMap(Int.init), length > limits.maxBodyBytes {
                // Refuse at once rather than read a body that will be thrown away.
                tooLarge = true
                head = nil
                onRejected?(413)
                write(
                    ServerResponse.text(413, "request body larger than \(limits.maxBodyBytes) bytes\n"),
                    head: h, keepAlive: false, context: context, closeNow: false)
                closeAtEnd = true
            }
        case .body(let buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > limits.maxBodyBytes {
                tooLarge = true
                body.removeAll()
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            connectionGuard.requestCompleted()
            if closeAtEnd {
                context.close(promise: nil)
                return
            }
            guard let h = head else { return }
            head = nil
            if tooLarge {
                onRejected?(413)
                write(
                    ServerResponse.text(413, "request body larger than \(limits.maxBodyBytes) bytes\n"),
                    head: h, keepAlive: false, context: context)
                return
            }
            let request = ServerRequest(
                method: h.method.rawValue, uri: h.uri,
                headers: h.headers.map { ($0.name, $0.value) }, body: body,
                remoteAddress: Self.address(context.remoteAddress))
            body = []
            let keepAlive = h.isKeepAlive
            switch responder {
            case .immediate(let respond):
                write(respond(request), head: h, keepAlive: keepAlive, context: context)
            case .async(let handler):
                let loop = context.eventLoop
                let promise = loop.makePromise(of: ServerResponse.self)
                inFlight.add(1)
                promise.completeWithTask { await handler(request) }
                let boundContext = NIOLoopBound(context, eventLoop: loop)
                promise.futureResult.whenSuccess { [self] response in
                    self.write(response, head: h, keepAlive: keepAlive, context: boundContext.value)
                    self.inFlight.add(-1)
                }
            }
        }
    }

    /// The listener's answer to nearly every event, built once.
    private static let okHeaders: HTTPHeaders = [
        "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(ServerResponse.ok.body.count),
    ]
    private lazy var okBody = ByteBuffer(bytes: ServerResponse.ok.body)

    private func write(
        _ response: ServerResponse, head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext,
        closeNow: Bool = true
    ) {
        if keepAlive, response.status == 200, response.body == ServerResponse.ok.body, head.method != .HEAD,
            response.headers.count == 1
        {
            let responseHead = HTTPResponseHead(version: head.version, status: .ok, headers: Self.okHeaders)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(okBody))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(
            version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if !response.body.isEmpty && head.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive && closeNow {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            logger.debug("closing idle connection from \(Self.address(context.remoteAddress))")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error: \(error)")
        context.close(promise: nil)
    }

    static func address(_ a: SocketAddress?) -> String {
        guard let a else { return "?" }
        if let ip = a.ipAddress, let port = a.port { return a.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
        return "\(a)"
    }
}
