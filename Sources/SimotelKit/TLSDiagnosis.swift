import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Finds out why a server's certificate was refused, so the error can say it in words: BoringSSL
/// reports only `CERTIFICATE_VERIFY_FAILED`. Runs only after such a failure: it fetches the
/// certificate without verification and looks at its dates, then checks whether it is its own
/// issuer by trusting just that certificate. Also tells whether a port that gave a plain
/// request no valid answer speaks TLS.
enum TLSDiagnosis {
    static func untrustedReason(host: String, port: Int) async -> String {
        var open = TLSConfiguration.makeClientConfiguration()
        open.certificateVerification = .none
        guard let certificate = try? await handshake(host: host, port: port, configuration: open) else {
            return "not trusted"
        }
        let now = time(nil)
        if certificate.notValidAfter < now { return "expired on \(day(certificate.notValidAfter))" }
        if certificate.notValidBefore > now { return "not valid before \(day(certificate.notValidBefore))" }
        var selfTrust = TLSConfiguration.makeClientConfiguration()
        selfTrust.certificateVerification = .noHostnameVerification
        selfTrust.trustRoots = .certificates([certificate])
        if (try? await handshake(host: host, port: port, configuration: selfTrust)) != nil {
            return "not trusted (self-signed)"
        }
        return "not trusted (issued by an authority this machine does not trust)"
    }

    /// True when a TLS handshake (nothing verified) completes on the port: what a plain http://
    /// request that got no valid answer met.
    static func speaksTLS(host: String, port: Int) async -> Bool {
        var open = TLSConfiguration.makeClientConfiguration()
        open.certificateVerification = .none
        do {
            _ = try await handshake(host: host, port: port, configuration: open)
            return true
        } catch {
            return false
        }
    }

    static func day(_ t: time_t) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    /// Completes one TLS handshake and returns the server's certificate.
    static func handshake(host: String, port: Int, configuration: TLSConfiguration) async throws -> NIOSSLCertificate? {
        let context = try NIOSSLContext(configuration: configuration)
        let sniHost = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(3))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: sniHost)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(
                        HandshakeWaiter(promise: channel.eventLoop.makePromise()))
                }
            }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        defer { channel.close(promise: nil) }
        // A server that stalls the handshake must not hold the error it explains: closing the
        // channel fails the waiter.
        let limit = channel.eventLoop.scheduleTask(in: .seconds(3)) { channel.close(promise: nil) }
        defer { limit.cancel() }
        let waiter = try await channel.pipeline.handler(type: HandshakeWaiter.self).get()
        try await waiter.promise.futureResult.get()
        return try await channel.nioSSL_peerCertificate().get()
    }

    final class HandshakeWaiter: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<Void>
        init(promise: EventLoopPromise<Void>) { self.promise = promise }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let e = event as? TLSUserEvent, case .handshakeCompleted = e { promise.succeed(()) }
            context.fireUserInboundEventTriggered(event)
        }
        func errorCaught(context: ChannelHandlerContext, error: Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.eof)
            context.fireChannelInactive()
        }
    }
}
