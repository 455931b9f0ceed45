import AsyncHTTPClient
import Foundation
import HTTPServerKit
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
    private var notFoundCount = 0
    private var log: EventLog?
    private var logFailures = 0
    private var logFailing = false
    private var forwards: [Task<Void, Never>] = []

    /// Called for every recorded event (display), on the server's threads.
    public var onEvent: (@Sendable (ReceivedEvent) -> Void)?
    /// The reply to a dialplan component's request (its payload), when a rule has one; without
    /// one the request is answered `{"ok":"0"}` — JSON, as Simotel needs it.
    public var componentReply: (@Sendable (JSONValue) -> JSONValue?)?
    /// Called with the result line of every forward (`--> [200] POST http://… (12 ms)`).
    public var onForward: (@Sendable (String) -> Void)?
    /// Called with a warning a person should see (the log cannot be written, and when it can again).
    public var onWarning: (@Sendable (String) -> Void)?

    public init(configuration: ListenerConfiguration, logger: Logger = Logger(label: "simsh.listener")) {
        self.configuration = configuration
        self.store = EventStore(capacity: configuration.keep, byteCapacity: configuration.keepBytes)
        self.logger = logger
    }

    /// Starts listening; returns the base URL (`http://127.0.0.1:8089/`).
    @discardableResult
    public func start() async throws -> String {
        if let file = configuration.logFile {
            do {
                log = try EventLog(path: file)
            } catch {
                throw ServerStartError(host: configuration.host, port: configuration.port, reason: error.description)
            }
        }
        // Recording an event is quick and never waits: it is answered on the event loop itself,
        // the events of one turn of the loop together (one log write for all of them).
        let respond: @Sendable ([ServerRequest]) -> [ServerResponse] = { [weak self] requests in
            guard let self else { return requests.map { _ in .text(503, "stopped\n") } }
            return self.handle(requests)
        }
        let server = HTTPServer(
            limits: configuration.limits, logger: logger,
            onRejected: { [weak self] _ in self?.countRejected() }, responder: .grouped(respond))
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
    /// Requests to paths that are neither the G path nor an event name (404, not recorded).
    public var notFound: Int { lock.withLock { notFoundCount } }
    /// Events answered 503 because the log could not be written.
    public var logFailureCount: Int { lock.withLock { logFailures } }

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
        lock.withLock { log = nil }
    }

    private func countRejected() { lock.withLock { rejectedCount += 1 } }

    func trackForward(_ task: Task<Void, Never>) {
        lock.withLock {
            forwards.removeAll { $0.isCancelled }
            forwards.append(task)
            if forwards.count > 256 { forwards.removeFirst(forwards.count - 256) }
        }
    }

    /// What one request becomes before it is recorded: an answer already, or an event to record.
    private enum Received {
        case answered(ServerResponse)
        case event(ServerRequest, WebhookDecoder.Decoded, reply: JSONValue?)
    }

    /// Answers requests in order. The events among them are recorded and logged (one `write`)
    /// before any is answered 200; events that cannot be logged are not kept either, and are
    /// answered 503 so that Simotel sends them again.
    func handle(_ requests: [ServerRequest]) -> [ServerResponse] {
        let received = requests.map(receive)
        var pending: [(request: ServerRequest, decoded: WebhookDecoder.Decoded, reply: JSONValue?)] = []
        for case .event(let request, let decoded, let reply) in received { pending.append((request, decoded, reply)) }
        guard !pending.isEmpty else {
            return received.map { if case .answered(let r) = $0 { r } else { .ok } }
        }
        let log = lock.withLock { self.log }
        var failure: EventLog.WriteError?
        let now = Date()
        let events = store.append(count: pending.count) { i, number in
            let (request, decoded, reply) = pending[i]
            return ReceivedEvent(
                sequence: number, receivedAt: now, remoteAddress: request.remoteAddress, method: request.method,
                uri: request.uri, suffix: decoded.suffix, variant: decoded.variant, name: decoded.name,
                payload: decoded.payload, contentType: request.header("Content-Type"), body: request.body,
                reply: reply)
        } commit: { events in
            guard let log else { return events.count }
            var bytes: [UInt8] = []
            var ends: [Int] = []
            ends.reserveCapacity(events.count)
            let time = ReceivedEvent.timestamp(now)
            for e in events {
                e.appendLogLine(to: &bytes, time: time)
                ends.append(bytes.count)
            }
            let (lines, error) = log.append(bytes, lineEnds: ends)
            failure = error
            return lines
        }
        if let failure { logFailed(failure, events: pending.count - events.count) } else if log != nil { logWorked() }
        for event in events {
            onEvent?(event)
            if configuration.forwardTo != nil { forward(event) }
        }
        var next = 0
        return received.map { r in
            guard case .event(_, _, let reply) = r else {
                if case .answered(let response) = r { return response }
                return .ok
            }
            defer { next += 1 }
            guard next < events.count else { return .text(503, "event not logged; send it again later\n") }
            if let reply { return .json(200, reply.serialized()) }
            return .ok
        }
    }

    /// Checks a request's credentials and decodes it.
    private func receive(_ request: ServerRequest) -> Received {
        if let auth = configuration.basicAuth, !Self.authorized(request, auth) {
            countRejected()
            return .answered(
                ServerResponse(
                    status: 401,
                    headers: [("WWW-Authenticate", "Basic realm=\"simsh\""), ("Content-Type", "text/plain")],
                    body: Array("unauthorized\n".utf8)))
        }
        let decoded: WebhookDecoder.Decoded
        do {
            decoded = try WebhookDecoder.decode(request, prefix: configuration.path)
        } catch {
            countRejected()
            switch error {
            case .notFound:
                lock.withLock { notFoundCount += 1 }
                return .answered(.text(404, "not found\n"))
            case .methodNotAllowed: return .answered(.text(405, "method not allowed\n"))
            case .badRequest(let why): return .answered(.text(400, why + "\n"))
            }
        }
        // A component request always gets a JSON reply: an event filter is about events.
        let isComponent = decoded.name == ReceivedEvent.componentName
        if let filter = configuration.eventFilter, !filter.contains(decoded.name.lowercased()), !isComponent {
            return .answered(.text(200, "ignored\n"))
        }
        let reply: JSONValue? =
            isComponent ? (componentReply?(decoded.payload) ?? .object([("ok", .string("0"))])) : nil
        return .event(request, decoded, reply: reply)
    }

    /// Warns once per streak of failed log writes, and counts every one.
    private func logFailed(_ error: Error, events: Int) {
        let first = lock.withLock { () -> Bool in
            logFailures += events
            defer { logFailing = true }
            return !logFailing
        }
        if first, let path = configuration.logFile {
            onWarning?("cannot write the event log \(path): \(error); events are answered 503 until it can")
        }
    }

    private func logWorked() {
        let recovered = lock.withLock { () -> Bool in
            defer { logFailing = false }
            return logFailing
        }
        if recovered, let path = configuration.logFile { onWarning?("the event log \(path) is written again") }
    }

    /// Basic credentials (the scheme in any case, RFC 7235), compared in constant time.
    static func authorized(_ request: ServerRequest, _ auth: (user: String, password: String)) -> Bool {
        let want = Array("\(auth.user):\(auth.password)".utf8)
        var got: [UInt8] = []
        let header = (request.header("Authorization") ?? "").trimmingCharacters(in: .whitespaces)
        if let space = header.firstIndex(of: " "), header[..<space].lowercased() == "basic",
            let decoded = Data(base64Encoded: header[space...].trimmingCharacters(in: .whitespaces))
        {
            got = Array(decoded)
        }
        var diff = UInt8(want.count == got.count ? 0 : 1)
        for i in 0..<max(want.count, got.count) {
            diff |= (i < want.count ? want[i] : 0) ^ (i < got.count ? got[i] : 0)
        }
        return diff == 0
    }
}
