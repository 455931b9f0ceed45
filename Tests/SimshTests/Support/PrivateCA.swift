import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SimshTesting

/// A certificate authority made for one test with the `openssl` command, and a certificate it
/// issued for 127.0.0.1 (EC P-256, valid for two days): what a PBX with a private CA serves.
final class PrivateCA: Sendable {
    let dir: TempDir
    /// The CA's certificate (PEM): what `--cacert` is given.
    var caFile: String { dir.file("ca.pem") }
    var certificate: String { dir.file("server.pem") }
    var key: String { dir.file("server.key") }

    init() throws {
        dir = TempDir()
        try """
        [req]
        distinguished_name = dn
        x509_extensions = v3_ca
        prompt = no
        [dn]
        CN = simsh test CA
        [v3_ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash

        """.write(toFile: dir.file("ca.cnf"), atomically: true, encoding: .utf8)
        try "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = 127.0.0.1\n"
            .write(toFile: dir.file("server.cnf"), atomically: true, encoding: .utf8)
        try """
        subjectAltName = IP:127.0.0.1
        basicConstraints = CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        authorityKeyIdentifier = keyid

        """.write(toFile: dir.file("ext.cnf"), atomically: true, encoding: .utf8)
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try Self.openssl(
            ["req", "-x509", "-config", dir.file("ca.cnf")] + newKey
                + ["-keyout", dir.file("ca.key"), "-out", caFile, "-days", "2"])
        try Self.openssl(
            ["req", "-new", "-config", dir.file("server.cnf")] + newKey
                + ["-keyout", key, "-out", dir.file("server.csr")])
        try Self.openssl([
            "x509", "-req", "-in", dir.file("server.csr"), "-CA", caFile, "-CAkey", dir.file("ca.key"),
            "-set_serial", "2", "-days", "2", "-extfile", dir.file("ext.cnf"), "-out", certificate,
        ])
    }

    static func openssl(_ arguments: [String]) throws {
        let child = try ChildProcess("openssl", arguments)
        child.closeStdin()
        let status = child.wait(timeout: 120)
        guard status == 0 else {
            throw SpawnError(message: "openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(child.stderr)")
        }
    }
}

/// An HTTPS server on 127.0.0.1 (port 0) with a certificate of a `PrivateCA`, answering every
/// request with Simotel's ping envelope.
final class TLSTestServer: Sendable {
    let channel: any Channel
    let port: Int
    var url: String { "https://127.0.0.1:\(port)" }

    init(_ ca: PrivateCA) async throws {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(ca.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: ca.key, format: .pem)))
        let context = try NIOSSLContext(configuration: configuration)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLServerHandler(context: context))
                    try sync.configureHTTPServerPipeline(
                        withPipeliningAssistance: true, withServerUpgrade: nil, withErrorHandling: true,
                        withOutboundHeaderValidation: true)
                    try sync.addHandler(PingEnvelopeResponder())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    func stop() async {
        try? await channel.close()
    }
}

/// Answers each request, once it has all arrived, with `{"success":1,…}`; a connection whose
/// TLS fails (a plain HTTP request) is closed.
final class PingEnvelopeResponder: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let body = #"{"success":1,"message":"pong over a private CA's certificate","data":null}"#

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(Self.body.utf8.count))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: Self.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
