import NIOCore
import NIOHTTP1
import NIOPosix

// A bare HTTP/1.1 server on SwiftNIO, as NIO's own example builds one: its standard server
// pipeline and a handler that answers every request `200 ok`. `scripts/bench listen` measures it
// beside nginx and the listener, to tell what NIOHTTP1 itself costs on the machine from what the
// listener adds (recording, logging, answering in order). Usage: bench-http-floor PORT

final class OK: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private let headers: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "Content-Length": "3"]
    private var body: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let buffer = body ?? context.channel.allocator.buffer(string: "ok\n")
        body = buffer
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8080
let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(ChannelOptions.backlog, value: 256)
    .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(OK())
        }
    }
    .bind(host: "127.0.0.1", port: port).wait()
print("listening on \(channel.localAddress!)")
try channel.closeFuture.wait()
