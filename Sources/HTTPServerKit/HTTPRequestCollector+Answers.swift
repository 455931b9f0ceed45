import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Writing the answers, in the order of the requests.
extension HTTPRequestCollector {
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

    /// An answer not written yet, waiting for the ones before it.
    final class Outgoing {
        let head: HTTPRequestHead
        let keepAlive: Bool
        var response: ServerResponse?
        init(head: HTTPRequestHead, keepAlive: Bool, response: ServerResponse?) {
            self.head = head
            self.keepAlive = keepAlive
            self.response = response
        }
    }

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

    func closeIfInputEnded(context: ChannelHandlerContext) {
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

    /// Answers 400 (431 for header fields over the parser's limit) and closes; tells the owner
    /// unless the connection is gone already (the client closed it, or the guard did: reported then).
    func answerMalformed(context: ChannelHandlerContext) {
        malformedAfterPending = true
        let (requestHead, from) = (self.head, remoteAddress)
        let refusal = malformed.map { ServerRejection.malformed($0, head: requestHead, remoteAddress: from) }
        malformed = nil
        // A client that stops sending a body refused already (413; curl does) is not refused twice.
        if let refusal, context.channel.isActive, !closeAtEnd, !closing { onRejected?(refusal) }
        let responseHead = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: refusal?.status ?? 400),
            headers: ["Connection": "close", "Content-Length": "0"])
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
