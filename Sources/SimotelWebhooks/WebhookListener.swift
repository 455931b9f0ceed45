import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SimotelKit
import SystemPackage

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The session's one event-webhook receiver: checks credentials, decodes every delivery
/// variant, records events (and logs them) before answering 200, and forwards them.
public final class WebhookListener: @unchecked Sendable {
    public let configuration: ListenerConfiguration
    public let store: EventStore
    private let logger: Logger
    private let lock = NSLock()
    private var server: HTTPServer?
    private var boundPort: Int?
    private var startedAt = Date()
    private var rejectedCount = 0
    private var logHandle: FileHandle?
    private let logLock = NSLock()
    private var forwards: [Task<Void, Never>] = []

    /// Called for every recorded event (display), on the server's threads.
    public var onEvent: (@Sendable (ReceivedEvent) -> Void)?
    /// Called with the result line of every forward (`--> [200] POST http://… (12 ms)`).
    public var onForward: (@Sendable (String) -> Void)?

    public init(configuration: ListenerConfiguration, logger: Logger = Logger(label: "simsh.listener")) {
        self.configuration = configuration
        self.store = EventStore(capacity: configuration.keep)
        self.logger = logger
    }

    /// Starts listening; returns the base URL (`http://127.0.0.1:8089/`).
    @discardableResult
    public func start() async throws -> String {
        if let file = configuration.logFile {
            if !FileManager.default.fileExists(atPath: file) {
                guard
                    FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600])
                else {
                    throw ServerStartError(
                        host: configuration.host, port: configuration.port, reason: "cannot create \(file)")
                }
            }
            guard let h = FileHandle(forWritingAtPath: file) else {
                throw ServerStartError(
                    host: configuration.host, port: configuration.port, reason: "cannot write \(file)")
            }
            h.seekToEndOfFile()
            logHandle = h
        }
        // Recording an event is quick and never waits: it is answered on the event loop itself.
        let respond: @Sendable (ServerRequest) -> ServerResponse = { [weak self] request in
            guard let self else { return .text(503, "stopped\n") }
            return self.handle(request)
        }
        let server = HTTPServer(
            limits: configuration.limits, logger: logger,
            onRejected: { [weak self] _ in self?.countRejected() }, responder: .immediate(respond))
        let port = try await server.start(host: configuration.host, port: configuration.port)
        lock.withLock {
            self.server = server
            self.boundPort = port
            self.startedAt = Date()
        }
        return url
    }

    /// The base URL events are sent to.
    public var url: String {
        let port = lock.withLock { boundPort } ?? configuration.port
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        var path = configuration.path.hasPrefix("/") ? configuration.path : "/" + configuration.path
        if !path.hasSuffix("/") { path += "/" }
        return "http://\(host):\(port)\(path)"
    }

    public var port: Int? { lock.withLock { boundPort } }
    public var uptime: TimeInterval { Date().timeIntervalSince(lock.withLock { startedAt }) }
    public var rejected: Int { lock.withLock { rejectedCount } }

    /// Answers what was received, then closes; queued forwards are finished.
    public func stop() async {
        let (s, pending) = lock.withLock { () -> (HTTPServer?, [Task<Void, Never>]) in
            defer {
                server = nil
                forwards = []
            }
            return (server, forwards)
        }
        await s?.stop()
        for t in pending { await t.value }
        logLock.withLock {
            try? logHandle?.close()
            logHandle = nil
        }
    }

    private func countRejected() { lock.withLock { rejectedCount += 1 } }

    func trackForward(_ task: Task<Void, Never>) {
        lock.withLock {
            forwards.removeAll { $0.isCancelled }
            forwards.append(task)
            if forwards.count > 256 { forwards.removeFirst(forwards.count - 256) }
        }
    }

    func handle(_ request: ServerRequest) -> ServerResponse {
        if let auth = configuration.basicAuth, !Self.authorized(request, auth) {
            countRejected()
            return ServerResponse(
                status: 401, headers: [("WWW-Authenticate", "Basic realm=\"simsh\""), ("Content-Type", "text/plain")],
                body: Array("unauthorized\n".utf8))
        }
        let decoded: WebhookDecoder.Decoded
        do {
            decoded = try WebhookDecoder.decode(request, prefix: configuration.path)
        } catch {
            countRejected()
            switch error {
            case .notFound: return .text(404, "not found\n")
            case .methodNotAllowed: return .text(405, "method not allowed\n")
            case .badRequest(let why): return .text(400, why + "\n")
            }
        }
        if let filter = configuration.eventFilter, !filter.contains(decoded.name.lowercased()) {
            return .text(200, "ignored\n")
        }
        let event = store.append { seq in
            ReceivedEvent(
                sequence: seq, receivedAt: Date(), remoteAddress: request.remoteAddress, method: request.method,
                uri: request.uri, suffix: decoded.suffix, variant: decoded.variant, name: decoded.name,
                payload: decoded.payload, contentType: request.header("Content-Type"), body: request.body)
        }
        if logHandle != nil {
            let line = event.logLine
            logLock.withLock {
                guard let fd = logHandle?.fileDescriptor else { return }
                _ = try? FileDescriptor(rawValue: fd).writeAll(line.utf8)
            }
        }
        onEvent?(event)
        if configuration.forwardTo != nil { forward(event) }
        return .text(200, "ok\n")
    }

    /// Basic credentials, compared in constant time.
    static func authorized(_ request: ServerRequest, _ auth: (user: String, password: String)) -> Bool {
        let want = Array(("Basic " + Data("\(auth.user):\(auth.password)".utf8).base64EncodedString()).utf8)
        let got = Array((request.header("Authorization") ?? "").trimmingCharacters(in: .whitespaces).utf8)
        var diff = UInt8(want.count == got.count ? 0 : 1)
        for i in 0..<max(want.count, got.count) {
            diff |= (i < want.count ? want[i] : 0) ^ (i < got.count ? got[i] : 0)
        }
        return diff == 0
    }
}
