import Foundation
import Logging
import NIOCore
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
    let connectionGuard: ConnectionGuard
    /// This event loop's requests waiting for a `grouped` answer.
    private let batch: RequestBatch
    /// `ip:port` of the client, read once (`context.remoteAddress` asks the kernel every time).
    private var remoteAddress = "?"
    /// Requests of this connection waiting for their answers (grouped or async).
    var pending = 0
    /// The request that came after the pending ones was malformed: answer 400 once they are answered.
    var malformedAfterPending = false
    private var readHeld = false
    /// A request was refused with `Connection: close`: nothing after it is read.
    private var closing = false
    private var stalledDeadline: Scheduled<Void>?
    /// The context of the first handler in the pipeline (the connection guard, inbound only):
    /// what is written there goes straight to the socket. The encoded `200 ok` is written there,
    /// one buffer instead of three parts through the encoder. It keeps its place among the other
    /// answers: the encoder holds nothing back between whole responses.
    var rawOutlet: ChannelHandlerContext?
    /// This connection's answers not written yet, in the order of its requests.
    var outbox = CircularBuffer<Outgoing>()
    /// The client closed its side after its requests (a half-close): they are answered, then
    /// the connection is closed, instead of dropping answers not written yet.
    var inputEnded = false

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
        case .head(let h): readHead(h, context: context)
        case .body(let buffer): readBody(buffer)
        case .end: readEnd(context: context)
        }
    }

    /// Takes a request's head: refuses at once a body declared too large, lets a waiting client send its body.
    private func readHead(_ h: HTTPRequestHead, context: ChannelHandlerContext) {
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
    }

    /// Keeps a part of the body, unless the body is over the limit: then it is dropped.
    private func readBody(_ buffer: ByteBuffer) {
        guard !tooLarge else { return }
        if body.count + buffer.readableBytes > limits.maxBodyBytes {
            tooLarge = true
            body.removeAll()
            return
        }
        buffer.withUnsafeReadableBytes { body.append(contentsOf: $0) }
    }

    /// Takes the end of a request: has it answered, or refused when its body was too large.
    private func readEnd(context: ChannelHandlerContext) {
        connectionGuard.requestCompleted()
        if closeAtEnd {
            context.close(promise: nil)
            return
        }
        guard let h = head else { return }
        head = nil
        if tooLarge {
            refuseTooLarge(h, context: context)
            return
        }
        let request = ServerRequest(
            method: h.method.rawValue, uri: h.uri, fields: h.headers, body: body,
            remoteAddress: remoteAddress)
        body = []
        sendToResponder(request, head: h, context: context)
    }

    /// Answers 413 to a request whose body was too large, after the answers before it; nothing after it is read.
    private func refuseTooLarge(_ h: HTTPRequestHead, context: ChannelHandlerContext) {
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
    }

    /// Has the responder answer a whole request: at once, with this turn's batch, or from a task.
    private func sendToResponder(_ request: ServerRequest, head h: HTTPRequestHead, context: ChannelHandlerContext) {
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

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? ChannelEvent, e == .inputClosed {
            inputEnded = true
            closeIfInputEnded(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
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
