import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Collects one request's head and body (refusing bodies over the limit with 413), has the
/// responder answer it and writes the answer; answers a malformed request 400. Last in the
/// pipeline, it also sees every read request first: while the answers already written are not
/// being read (the channel is not writable), the connection is not read either, so a client that
/// pipelines requests and never reads the answers cannot make the server queue answers without
/// bound; one that stays so for the request timeout is closed.
/// Sendable: its `var`s are touched only on its channel's event loop (handler callbacks, and future callbacks
/// and `RequestBatch.run` bound to that loop).
final class HTTPRequestCollector: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
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
    /// This event loop's requests waiting for a `grouped` answer.
    private let batch: RequestBatch
    /// `ip:port` of the client, read once (`context.remoteAddress` asks the kernel every time).
    private var remoteAddress = "?"
    /// Requests of this connection waiting for their answers (grouped or async).
    private var pending = 0
    /// The request that came after the pending ones was malformed: answer 400 once they are answered.
    private var malformedAfterPending = false
    private var readHeld = false
    /// A request was refused with `Connection: close`: nothing after it is read.
    private var closing = false
    private var stalledDeadline: Scheduled<Void>?

    init(
        limits: ServerLimits, logger: Logger, inFlight: InFlightCounter, onRejected: (@Sendable (Int) -> Void)?,
        responder: HTTPServer.Responder, connectionGuard: ConnectionGuard, batch: RequestBatch
    ) {
        self.batch = batch
        self.connectionGuard = connectionGuard
        self.onRejected = onRejected
        self.limits = limits
        self.logger = logger
        self.inFlight = inFlight
        self.responder = responder
    }

    func handlerAdded(context: ChannelHandlerContext) {
        remoteAddress = Self.address(context.channel.remoteAddress)
        rawOutlet = try? context.pipeline.syncOperations.context(handler: connectionGuard)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        rawOutlet = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !malformedAfterPending, !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
            tooLarge = false
            if let length = h.headers.first(name: "Content-Length").flatMap(Int.init), length > limits.maxBodyBytes {
                tooLarge = true
                // With answers still to go out before it, it is refused in its turn, at its end.
                guard pending == 0 else { return }
                // Refuse at once rather than read a body that will be thrown away.
                head = nil
                onRejected?(413)
                write(
                    ServerResponse.text(413, "request body larger than \(limits.maxBodyBytes) bytes\n"),
                    head: h, keepAlive: false, context: context, closeNow: false)
                closeAtEnd = true
            } else if pending == 0, !tooLarge, h.headers.contains(name: "Expect"),
                h.headers[canonicalForm: "Expect"].contains(where: { $0.lowercased() == "100-continue" })
            {
                // A client waiting for leave to send its body would otherwise wait (curl: 1 s,
                // all of a component's deadline).
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .continue))), promise: nil)
            }
        case .body(let buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > limits.maxBodyBytes {
                tooLarge = true
                body.removeAll()
                return
            }
            buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) }
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
                let refusal = ServerResponse.text(413, "request body larger than \(limits.maxBodyBytes) bytes\n")
                // Nothing more is read: the connection closes after this answer.
                closing = true
                guard pending > 0, case .grouped(let respond) = responder else {
                    write(refusal, head: h, keepAlive: false, context: context)
                    return
                }
                // After the answers to the requests before it (some may wait in this turn's batch).
                pending += 1
                batch.add(
                    RequestBatch.Item(
                        request: nil, answered: refusal, head: h, keepAlive: false, collector: self, context: context),
                    on: context.eventLoop, answer: respond)
                return
            }
            let request = ServerRequest(
                method: h.method.rawValue, uri: h.uri, fields: h.headers, body: body,
                remoteAddress: remoteAddress)
            body = []
            let keepAlive = h.isKeepAlive
            switch responder {
            case .immediate(let respond):
                write(respond(request), head: h, keepAlive: keepAlive, context: context)
            case .grouped(let respond):
                pending += 1
                batch.add(
                    RequestBatch.Item(
                        request: request, answered: nil, head: h, keepAlive: keepAlive, collector: self,
                        context: context),
                    on: context.eventLoop, answer: respond)
            case .async(let handler):
                let loop = context.eventLoop
                let promise = loop.makePromise(of: ServerResponse.self)
                inFlight.add(1)
                promise.completeWithTask { await handler(request) }
                let boundContext = NIOLoopBound(context, eventLoop: loop)
                pending += 1
                promise.futureResult.whenSuccess { [self] response in
                    self.answer(.now(response), head: h, keepAlive: keepAlive, context: boundContext.value)
                    self.inFlight.add(-1)
                }
            }
        }
    }

    /// The listener's answer to nearly every event (`200 ok`, HTTP/1.1, kept alive), encoded once
    /// by NIOHTTP1's own response encoder.
    static let encodedOK: ByteBuffer = {
        let channel = EmbeddedChannel(handler: HTTPResponseEncoder())
        let headers: HTTPHeaders = [
            "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(ServerResponse.ok.body.count),
        ]
        var bytes = ByteBuffer()
        try? channel.writeOutbound(
            HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        try? channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: ServerResponse.ok.body))))
        try? channel.writeOutbound(HTTPServerResponsePart.end(nil))
        while var part = try? channel.readOutbound(as: ByteBuffer.self) { bytes.writeBuffer(&part) }
        _ = try? channel.finish()
        return bytes
    }()
    /// The context of the first handler in the pipeline (the connection guard, inbound only):
    /// what is written there goes straight to the socket. The encoded `200 ok` is written there,
    /// one buffer instead of three parts through the encoder. It keeps its place among the other
    /// answers: the encoder holds nothing back between whole responses.
    private var rawOutlet: ChannelHandlerContext?

    /// An answer not written yet, waiting for the ones before it.
    private final class Outgoing {
        let head: HTTPRequestHead
        let keepAlive: Bool
        var response: ServerResponse?
        init(head: HTTPRequestHead, keepAlive: Bool, response: ServerResponse?) {
            self.head = head
            self.keepAlive = keepAlive
            self.response = response
        }
    }
    /// This connection's answers not written yet, in the order of its requests.
    private var outbox = CircularBuffer<Outgoing>()

    /// Writes the answer of a request answered later (grouped or async), in request order.
    func answer(_ reply: ServerReply, head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext) {
        switch reply {
        case .now(let response) where outbox.isEmpty:
            pending -= 1
            write(response, head: head, keepAlive: keepAlive, context: context)
            if pending == 0 && malformedAfterPending { answerMalformed(context: context) }
            closeIfInputEnded(context: context)
        case .now(let response):
            outbox.append(Outgoing(head: head, keepAlive: keepAlive, response: response))
            drain(context: context)
        case .later(let future):
            let outgoing = Outgoing(head: head, keepAlive: keepAlive, response: nil)
            outbox.append(outgoing)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            future.hop(to: context.eventLoop).whenComplete { [self] result in
                outgoing.response = (try? result.get()) ?? .text(500, "no answer\n")
                drain(context: bound.value)
            }
        }
    }

    private func drain(context: ChannelHandlerContext) {
        while let first = outbox.first, let response = first.response {
            outbox.removeFirst()
            pending -= 1
            write(response, head: first.head, keepAlive: first.keepAlive, context: context)
        }
        if pending == 0 && malformedAfterPending { answerMalformed(context: context) }
        closeIfInputEnded(context: context)
    }

    /// The client closed its side after its requests (a half-close): they are answered, then
    /// the connection is closed, instead of dropping answers not written yet.
    private var inputEnded = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? ChannelEvent, e == .inputClosed {
            inputEnded = true
            closeIfInputEnded(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func closeIfInputEnded(context: ChannelHandlerContext) {
        guard inputEnded, pending == 0, !malformedAfterPending else { return }
        inputEnded = false
        // After what was written: an empty write straight to the socket completes once the
        // answers before it are written.
        let channel = context.channel
        guard let rawOutlet else {
            context.close(promise: nil)
            return
        }
        rawOutlet.writeAndFlush(NIOAny(ByteBuffer())).whenComplete { _ in channel.close(promise: nil) }
    }

    func write(
        _ response: ServerResponse, head: HTTPRequestHead, keepAlive: Bool, context: ChannelHandlerContext,
        closeNow: Bool = true
    ) {
        connectionGuard.answerWritten()
        if keepAlive, head.version == .http1_1, response.status == 200, response.body == ServerResponse.ok.body,
            head.method != .HEAD, response.headers.count == 1
        {
            if let rawOutlet {
                rawOutlet.writeAndFlush(NIOAny(Self.encodedOK), promise: nil)
                return
            }
        }
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        } else if head.version == .http1_0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
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

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard error is HTTPParserError else {
            if !malformedAfterPending {
                logger.debug("connection error: \(error)")
                context.close(promise: nil)
            }
            return
        }
        // The parser stops at a malformed request: it is answered 400 and the connection closed,
        // after the answers to the requests before it.
        if pending > 0 {
            malformedAfterPending = true
        } else {
            answerMalformed(context: context)
        }
    }

    private func answerMalformed(context: ChannelHandlerContext) {
        malformedAfterPending = true
        let head = HTTPResponseHead(
            version: .http1_1, status: .badRequest, headers: ["Connection": "close", "Content-Length": "0"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    func read(context: ChannelHandlerContext) {
        guard context.channel.isWritable else {
            readHeld = true
            if stalledDeadline == nil {
                let channel = context.channel
                stalledDeadline = context.eventLoop.scheduleTask(
                    in: .milliseconds(Int64(limits.requestTimeoutSeconds * 1000))
                ) {
                    channel.close(promise: nil)
                }
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
        stalledDeadline?.cancel()
        stalledDeadline = nil
        context.fireChannelInactive()
    }

    static func address(_ a: SocketAddress?) -> String {
        guard let a else { return "?" }
        if let ip = a.ipAddress, let port = a.port { return a.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
        return "\(a)"
    }
}

/// The requests one event loop completed in its current turn, answered together when the turn's
/// I/O is done (NIO runs tasks after it): touched only on that loop's thread.
/// Sendable: `items` and `spare` are touched only on the event-loop thread that owns the batch (one per thread,
/// from `HTTPServer.batches` in the channel initializer; `run` is scheduled on that loop).
final class RequestBatch: @unchecked Sendable {
    struct Item {
        /// The request for the responder, or nil when it is `answered` already (a refusal that
        /// must keep its place among its connection's answers).
        var request: ServerRequest?
        var answered: ServerResponse?
        var head: HTTPRequestHead
        var keepAlive: Bool
        var collector: HTTPRequestCollector
        var context: ChannelHandlerContext
    }

    private var items: [Item] = []
    /// The other of two arrays used in turn, so that a turn's batch is neither copied nor allocated.
    private var spare: [Item] = []

    func add(_ item: Item, on loop: EventLoop, answer: @escaping @Sendable ([ServerRequest]) -> [ServerReply]) {
        items.append(item)
        guard items.count == 1 else { return }
        loop.execute { self.run(answer) }
    }

    private func run(_ answer: @Sendable ([ServerRequest]) -> [ServerReply]) {
        var taken: [Item] = []
        swap(&taken, &spare)
        swap(&taken, &items)
        defer {
            taken.removeAll(keepingCapacity: true)
            spare = taken
        }
        let requests = taken.compactMap(\.request)
        let responses = requests.isEmpty ? [] : answer(requests)
        precondition(responses.count == requests.count, "a grouped responder answers every request")
        var next = responses.makeIterator()
        for item in taken {
            let reply = item.answered.map { ServerReply.now($0) } ?? next.next()!
            item.collector.answer(reply, head: item.head, keepAlive: item.keepAlive, context: item.context)
        }
    }
}
