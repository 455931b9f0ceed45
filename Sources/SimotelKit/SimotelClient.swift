import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// The API v4 client: one per connection, keep-alive, shared by everything in a session.
/// Call `shutdown()` before dropping it.
public final class SimotelClient: @unchecked Sendable {
    public let connection: SimotelConnection
    private let http: HTTPClient
    private let logger: Logger
    private let lock = NSLock()
    private var pingMethod: String
    private var isShutDown = false

    /// The largest body read (downloads included).
    public static let maxBodyBytes = 256 * 1024 * 1024

    public init(connection: SimotelConnection, logger: Logger = Logger(label: "simsh.client")) {
        self.connection = connection
        self.logger = logger
        var config = HTTPClient.Configuration()
        config.timeout = .init(
            connect: .milliseconds(Int64(connection.timeout * 1000)),
            read: .milliseconds(Int64(connection.timeout * 1000)))
        config.redirectConfiguration = .disallow
        // A refused connection is an answer: report it at once, as curl does, instead of
        // retrying until the timeout.
        config.connectionPool.retryConnectionEstablishment = false
        config.decompression = .disabled
        if connection.insecure {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            config.tlsConfiguration = tls
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        pingMethod = SimotelEndpoint.ping.method
    }

    /// The method `ping` uses now (PUT until a server answers 405 to it).
    public var currentPingMethod: String { lock.withLock { pingMethod } }

    /// Sends one request to an API path (relative to `/api/v4/`) and returns the answer,
    /// whatever its status. Throws `SimotelError.transport` when there is no answer.
    public func send(
        method: String, path: String, body: [UInt8]? = nil,
        contentType: String? = "application/json", extraHeaders: [(String, String)] = []
    ) async throws -> SimotelResponse {
        let url = connection.url(for: path)
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "User-Agent", value: "simsh/\(SimotelKitInfo.version)")
        for (name, value) in connection.credentials.headers { request.headers.add(name: name, value: value) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }

        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(connection.timeout * 1000)))
            let buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
            let elapsed = Self.milliseconds(clock.now - start)
            logger.debug("\(method) \(url) -> \(response.status.code) (\(String(format: "%.1f", elapsed)) ms)")
            return SimotelResponse(
                method: method, url: url, status: Int(response.status.code), reason: response.status.reasonPhrase,
                contentType: response.headers.first(name: "Content-Type"), body: Array(buffer.readableBytesView),
                elapsedMilliseconds: elapsed)
        } catch let error as SimotelError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let reason = TransportErrorDescription.describe(error, timeout: connection.timeout)
            logger.debug("\(method) \(url) failed: \(reason)")
            throw SimotelError.transport(url: connection.root, reason: reason)
        }
    }

    /// What `ping` did.
    public struct PingResult: Sendable {
        public var response: SimotelResponse
        /// True when this call found that the server refuses PUT and switched to POST.
        public var switchedToPost: Bool
    }

    /// `setting/ping/act` with body `{}`. On 405 it retries once with POST and keeps
    /// POST for the rest of this connection (api-v4.md §8.1.1).
    public func ping() async throws -> PingResult {
        let method = currentPingMethod
        let body = Array("{}".utf8)
        let first = try await send(method: method, path: SimotelEndpoint.ping.path, body: body)
        guard first.status == 405, method != "POST" else { return PingResult(response: first, switchedToPost: false) }
        let second = try await send(method: "POST", path: SimotelEndpoint.ping.path, body: body)
        if second.status != 405 { lock.withLock { pingMethod = "POST" } }
        return PingResult(response: second, switchedToPost: second.status != 405)
    }

    public func shutdown() async {
        let already = lock.withLock { () -> Bool in
            defer { isShutDown = true }
            return isShutDown
        }
        guard !already else { return }
        try? await http.shutdown()
    }

    static func milliseconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) * 1000 + Double(atto) / 1e15
    }
}

public enum SimotelKitInfo {
    public static let version = "0.1.0"
}
