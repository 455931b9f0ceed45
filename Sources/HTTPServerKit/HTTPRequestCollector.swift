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
    let onRejected: (@Sendable (ServerRejection) -> Void)?
    /// The head of the request being read (nil between requests).
    private(set) var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// Bytes of the body of the request being read, kept or not.
    private var bodyBytes = 0
    private var tooLarge = false
    /// A 413 went out before the body: the rest of the body is read (and dropped) before the
    /// connection closes, so that the client, still sending, gets to read the answer.
    private(set) var closeAtEnd = false
    let connectionGuard: ConnectionGuard
    /// This event loop's requests waiting for a `grouped` answer.
    private let batch: RequestBatch
    /// `ip:port` of the client, read once (`context.remoteAddress` asks the kernel every time).
    private(set) var remoteAddress = "?"
    /// Requests of this connection waiting for their answers (grouped or async).
    var pending = 0
    /// The request that came after the pending ones was malformed: answer 400 once they are answered.
    var malformedAfterPending = false
    /// What the parser found wrong with it, until its answer is written (and reported).
    var malformed: HTTPParserError?
    private var readHeld = false
    /// A request was refused with `Connection: close`: nothing after it is read.
    private(set) var closing = false
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
        limits: ServerLimits, logger: Logger, inFlight: InFlightCounter,
        onRejected: (@Sendable (ServerRejection) -> Void)?,
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
        bodyBytes = 0
        tooLarge = false
        if let length = h.headers.first(name: "Content-Length").flatMap(Int.init), length > limits.maxBodyBytes {
            tooLarge = true
            // With answers still to go out before it, it is refused in its turn, at its end.
            guard pending == 0 else { return }
            // Refuse at once rather than read a body that will be thrown away.
            head = nil
            reject(413, "body too large", "body of \(length) bytes over the \(maxBody) limit", head: h)
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
        bodyBytes += buffer.readableBytes
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
        reject(413, "body too large", "body of \(bodyBytes) bytes over the \(maxBody) limit", head: h)
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
        if let timedOut = event as? RequestTimedOut {
            // A request refused already (413, 400) is not refused again.
            if !closing, !closeAtEnd, !malformedAfterPending { rejectTimedOut(timedOut) }
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
        if !malformedAfterPending, let parserError = error as? HTTPParserError { malformed = parserError }
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

    /// `1 MiB`: the body limit in words.
    private var maxBody: String { ServerRejection.size(limits.maxBodyBytes) }

    /// Tells the server's owner of a refusal.
    func reject(_ status: Int, _ kind: String, _ reason: String, head: HTTPRequestHead?) {
        onRejected?(
            ServerRejection(status: status, kind: kind, reason: reason, head: head, remoteAddress: remoteAddress))
    }

    /// Tells of a request the connection guard is cutting off (408), with how much of it came.
    private func rejectTimedOut(_ timedOut: RequestTimedOut) {
        var reason = timedOut.reason
        if let head {
            let declared = head.headers.first(name: "Content-Length").flatMap(Int.init)
            reason += declared.map { " (\(bodyBytes) of \($0) body bytes received)" } ?? " (the body was not complete)"
        } else {
            reason += " (the header fields were not complete)"
        }
        reject(408, "request timed out", reason + "; the connection was closed", head: head)
    }

    static func address(_ a: SocketAddress?) -> String {
        guard let a else { return "?" }
        if let ip = a.ipAddress, let port = a.port { return a.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
        return "\(a)"
    }
}
