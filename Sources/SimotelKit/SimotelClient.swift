import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The API v4 client: one per connection, keep-alive, shared by everything in a session.
/// Call `shutdown()` before dropping it.
public final class SimotelClient: Sendable {
    public let connection: SimotelConnection
    let http: HTTPClient
    private let logger: Logger
    private struct State {
        var pingMethod = SimotelEndpoint.ping.method
        var isShutDown = false
        var trace: Trace?
        var onExchange: (@Sendable (Exchange) -> Void)?
    }
    private let state = Mutex(State())

    /// One request and the answer it got, for whoever keeps them (the session's event store).
    public struct Exchange: Sendable {
        public var method: String
        /// The service path below `/api/v4/` (`call/originate/act`).
        public var path: String
        public var body: [UInt8]?
        public var answer: SimotelResponse
    }

    /// Called after every answered request (not for a download saved to a file).
    public var onExchange: (@Sendable (Exchange) -> Void)? {
        get { state.withLock { $0.onExchange } }
        set { state.withLock { $0.onExchange = newValue } }
    }

    /// `-v`: each request and answer is written here (nil: not traced).
    public var trace: Trace? {
        get { state.withLock { $0.trace } }
        set { state.withLock { $0.trace = newValue } }
    }

    /// The largest API answer kept by default (`--max-size`); downloads saved to a file are not held.
    public static let defaultMaxAnswerBytes = 32 << 20

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
        if connection.insecure || connection.caFile != nil {
            var tls = TLSConfiguration.makeClientConfiguration()
            if connection.insecure { tls.certificateVerification = .none }
            // A private CA's certificates, trusted besides the system's: read once, here (the
            // connection checked the file); should it have changed since, NIOSSL reads it again.
            if let caFile = connection.caFile {
                if let loaded = try? CAFile.certificates(at: caFile) {
                    tls.additionalTrustRoots = [.certificates(loaded)]
                } else {
                    tls.additionalTrustRoots = [.file(caFile)]
                }
            }
            config.tlsConfiguration = tls
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// The method `ping` uses now (PUT until a server answers 405 to it).
    public var currentPingMethod: String { state.withLock { $0.pingMethod } }

    /// Sends one request to an API path (relative to `/api/v4/`) and returns the answer,
    /// whatever its status. The connection's timeout bounds the whole exchange, the answer's
    /// body included (like curl's `--max-time`). A 2xx answer that is not JSON is written to
    /// `saveTo` as it arrives (through a temporary file renamed at the end, so a failure leaves
    /// nothing) instead of being held; any other answer is held up to `maxAnswerBytes`.
    /// Throws `SimotelError.transport` when there is no answer, `.tooLarge` past the limit.
    public func send(
        method: String, path: String, body: [UInt8]? = nil,
        contentType: String? = "application/json", extraHeaders: [(String, String)] = [], saveTo: String? = nil
    ) async throws -> SimotelResponse {
        let url = connection.url(for: path)
        let request = makeRequest(
            method: method, url: url, body: body, contentType: contentType, extraHeaders: extraHeaders)
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = connection.timeout
        let trace = self.trace
        trace?.request(
            method: method, url: url, headers: request.headers.map { ($0.name, $0.value) }, body: body)
        do {
            var answer: SimotelResponse
            // -vv: the delegate interface says when the request left and the answer began.
            if let trace, trace.timings, saveTo == nil {
                answer = try await sendTraced(
                    request, method: method, url: url, body: body, timeout: timeout, trace: trace)
            } else {
                answer = try await sendPlain(
                    request, method: method, url: url, timeout: timeout, saveTo: saveTo, trace: trace, clock: clock,
                    start: start)
            }
            // A 401 says what was sent (never the secrets).
            answer.sentCredentials = connection.credentials.sentDescription(
                extraHeaders: extraHeaders.map { $0.0 }.filter { SecretNames.isSecretHeader($0) })
            if answer.saved == nil, let onExchange = state.withLock({ $0.onExchange }) {
                onExchange(Exchange(method: method, path: path, body: body, answer: answer))
            }
            return answer
        } catch let error as SimotelError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let reason = await TransportErrorDescription.describe(
                error, timeout: timeout, url: url, insecureOption: "--insecure", caOption: "--cacert FILE",
                caFile: connection.caFile)
            trace?.failure(reason, after: Self.milliseconds(clock.now - start))
            logger.debug("\(method) \(url) failed: \(reason)")
            throw SimotelError.transport(url: connection.root, reason: reason)
        }
    }

    /// The request `send` sends: its method, the connection's credentials and the given headers and body.
    private func makeRequest(
        method: String, url: String, body: [UInt8]?, contentType: String?, extraHeaders: [(String, String)]
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "User-Agent", value: "simsh/\(SimotelKitInfo.version)")
        for (name, value) in connection.credentials.headers { request.headers.add(name: name, value: value) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return request
    }

    /// Sends the request through the delegate interface and traces its answer with its phases (`-vv`).
    private func sendTraced(
        _ request: HTTPClientRequest, method: String, url: String, body: [UInt8]?, timeout: Double, trace: Trace
    ) async throws -> SimotelResponse {
        let old = try HTTPClient.Request(
            url: url, method: request.method, headers: request.headers,
            body: body.map { .byteBuffer(ByteBuffer(bytes: $0)) })
        let (head, bytes, phases) = try await sendTimed(old, timeout: timeout)
        var answer = SimotelResponse(
            method: method, url: url, status: Int(head.status.code), reason: head.status.reasonPhrase,
            contentType: head.headers.first(name: "Content-Type"), body: bytes,
            elapsedMilliseconds: phases.total)
        answer.location = head.headers.first(name: "Location")
        trace.response(
            answer.status, answer.reason, headers: head.headers.map { ($0.name, $0.value) }, body: bytes,
            phases: phases)
        return answer
    }

    /// Sends the request within the timeout, holding the answer or saving it to `saveTo`, and traces it.
    private func sendPlain(
        _ request: HTTPClientRequest, method: String, url: String, timeout: Double, saveTo: String?, trace: Trace?,
        clock: ContinuousClock, start: ContinuousClock.Instant
    ) async throws -> SimotelResponse {
        let firstByte = NIOLockedValueBox(0.0)
        let exchange = try await Self.withDeadline(seconds: timeout) { [http, connection, request] in
            let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            firstByte.withLockedValue { $0 = Self.milliseconds(clock.now - start) }
            let type = response.headers.first(name: "Content-Type")
            let isSuccess = (200..<300).contains(Int(response.status.code))
            if let saveTo, isSuccess, !(type ?? "").lowercased().contains("json") {
                let saved = try await DownloadFile.write(response.body, to: saveTo)
                return (response, [UInt8](), saved as Int?)
            }
            var buffer = ByteBuffer()
            for try await chunk in response.body {
                guard buffer.readableBytes + chunk.readableBytes <= connection.maxAnswerBytes else {
                    throw SimotelError.tooLarge(limit: connection.maxAnswerBytes)
                }
                var chunk = chunk
                buffer.writeBuffer(&chunk)
            }
            return (response, Array(buffer.readableBytesView), nil as Int?)
        }
        let (response, bytes, saved) = exchange
        let elapsed = Self.milliseconds(clock.now - start)
        logger.debug("\(method) \(url) -> \(response.status.code) (\(String(format: "%.1f", elapsed)) ms)")
        var answer = SimotelResponse(
            method: method, url: url, status: Int(response.status.code), reason: response.status.reasonPhrase,
            contentType: response.headers.first(name: "Content-Type"), body: bytes,
            elapsedMilliseconds: elapsed)
        answer.location = response.headers.first(name: "Location")
        if let saved, let saveTo { answer.saved = (saveTo, saved) }
        trace?.response(
            answer.status, answer.reason, headers: response.headers.map { ($0.name, $0.value) },
            body: saved == nil ? bytes : Array("(saved to \(saveTo ?? "the file"))".utf8),
            phases: Phases(firstByte: firstByte.withLockedValue { $0 }, total: elapsed))
        return answer
    }

    /// Runs `work`, failing with "no answer within N s" when it takes longer than `seconds`.
    static func withDeadline<T: Sendable>(
        seconds: Double, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                throw TransportErrorDescription.DeadlineExceeded()
            }
            defer { group.cancelAll() }
            return try await group.next()!
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
        if second.status != 405 { state.withLock { $0.pingMethod = "POST" } }
        return PingResult(response: second, switchedToPost: second.status != 405)
    }

    public func shutdown() async {
        let already = state.withLock { state -> Bool in
            defer { state.isShutDown = true }
            return state.isShutDown
        }
        guard !already else { return }
        try? await http.shutdown()
    }

    static func milliseconds(_ d: Duration) -> Double { d.milliseconds }
}

extension Duration {
    /// The duration in milliseconds (for timings shown to people).
    public var milliseconds: Double {
        let (s, atto) = components
        return Double(s) * 1000 + Double(atto) / 1e15
    }
}

public enum SimotelKitInfo {
    public static let version = "0.1.0"
}
