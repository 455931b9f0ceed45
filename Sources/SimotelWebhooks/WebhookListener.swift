import AsyncHTTPClient
import Foundation
import HTTPServerKit
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SimotelKit
import SystemPackage

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The session's one event-webhook receiver: checks credentials, decodes every delivery
/// variant, records events (and logs them) before answering 200, and forwards them.
/// Its state is one locked box (the event loops read the log and the hooks once per batch of
/// events); `store` and `computing` lock their own state.
public final class WebhookListener: Sendable {
    public let configuration: ListenerConfiguration
    public let store: EventStore
    private let logger: Logger
    struct State {
        var server: HTTPServer?
        var boundPort: Int?
        var startedAt = Date()
        /// The requests refused, by status and kind, and when each kind was last shown.
        var rejections = Rejections()
        var log: EventLog?
        var logFailures = 0
        var logFailing = false
        var storeFailures = 0
        var storeFailing = false
        /// Events recorded from bodies read leniently, by what they were; the kinds warned of.
        var lenientCounts: [LenientJSON.Quirk: Int] = [:]
        var lenientWarned: Set<LenientJSON.Quirk> = []
        var forwards: [Task<Void, Never>] = []
        var hooks = Hooks()
    }
    let state = NIOLockedValueBox(State())
    /// Component replies being computed (rule scripts).
    let computing = ComputingCount()

    /// What the session hooks in, set at any time from its task and read on the event loops:
    /// kept in `state` (a batch of events reads them once).
    struct Hooks {
        var onEvent: (@Sendable (ReceivedEvent) -> Void)?
        var componentAnswer: (@Sendable (JSONValue) -> ComponentAnswer?)?
        var componentDeadline: Duration = .milliseconds(800)
        var onForward: (@Sendable (String) -> Void)?
        var onWarning: (@Sendable (String) -> Void)?
        var forwardTrace: (@Sendable () -> SimotelClient.Trace?)?
        var onRejection: (@Sendable (String) -> Void)?
    }

    /// Called for every recorded event (display), on the server's threads.
    public var onEvent: (@Sendable (ReceivedEvent) -> Void)? {
        get { state.withLockedValue { $0.hooks.onEvent } }
        set { state.withLockedValue { $0.hooks.onEvent = newValue } }
    }
    /// How a dialplan component's request (its payload) is answered, when a rule says; without
    /// one the request is answered `{"ok":"0"}` — JSON, as Simotel needs it.
    public var componentAnswer: (@Sendable (JSONValue) -> ComponentAnswer?)? {
        get { state.withLockedValue { $0.hooks.componentAnswer } }
        set { state.withLockedValue { $0.hooks.componentAnswer = newValue } }
    }
    /// How long a computed reply may take unless its rule says: Simotel waits 1 s for it, so a little less.
    public var componentDeadline: Duration {
        get { state.withLockedValue { $0.hooks.componentDeadline } }
        set { state.withLockedValue { $0.hooks.componentDeadline = newValue } }
    }
    /// Called with the result line of every forward (`--> [200] POST http://… (12 ms)`).
    public var onForward: (@Sendable (String) -> Void)? {
        get { state.withLockedValue { $0.hooks.onForward } }
        set { state.withLockedValue { $0.hooks.onForward = newValue } }
    }
    /// How a forward is traced (`-v`, `trace on`), asked at each forward: tracing may be turned
    /// on and off while the listener runs.
    public var forwardTrace: (@Sendable () -> SimotelClient.Trace?)? {
        get { state.withLockedValue { $0.hooks.forwardTrace } }
        set { state.withLockedValue { $0.hooks.forwardTrace = newValue } }
    }
    /// Called with a warning a person should see (the log cannot be written, and when it can again).
    public var onWarning: (@Sendable (String) -> Void)? {
        get { state.withLockedValue { $0.hooks.onWarning } }
        set { state.withLockedValue { $0.hooks.onWarning = newValue } }
    }

    /// Called with a line saying a request was refused and why (`18:02:11 rejected POST /Cdr from
    /// 127.0.0.1:51234: 401: wrong password for user 'u'`), at most one a second for each kind
    /// of refusal, then one summing up the others (`… and 19 more rejected: …`); on the event loops.
    public var onRejection: (@Sendable (String) -> Void)? {
        get { state.withLockedValue { $0.hooks.onRejection } }
        set { state.withLockedValue { $0.hooks.onRejection = newValue } }
    }

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
                let opened = try EventLog(path: file)
                state.withLockedValue { $0.log = opened }
            } catch {
                throw ServerStartError(host: configuration.host, port: configuration.port, reason: error.description)
            }
        }
        // Recording an event is quick and never waits: it is answered on the event loop itself,
        // the events of one turn of the loop together (one log write for all of them).
        let respond: @Sendable ([ServerRequest]) -> [ServerReply] = { [weak self] requests in
            guard let self else { return requests.map { _ in .now(.text(503, "stopped\n")) } }
            return self.handle(requests)
        }
        let server = HTTPServer(
            limits: configuration.limits, logger: logger,
            onRejected: { [weak self] rejection in self?.noteRejection(rejection) }, responder: .grouped(respond))
        let port = try await server.start(host: configuration.host, port: configuration.port)
        state.withLockedValue {
            $0.server = server
            $0.boundPort = port
            $0.startedAt = Date()
        }
        return url
    }

    /// The base URL events are sent to.
    public var url: String {
        let port = state.withLockedValue { $0.boundPort } ?? configuration.port
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)\(eventPath)"
    }

    /// The path events are sent to (`/`, `/hooks/`): the G path, and the Rest form below it.
    var eventPath: String {
        let path = configuration.path.hasPrefix("/") ? configuration.path : "/" + configuration.path
        return path.hasSuffix("/") ? path : path + "/"
    }

    public var port: Int? { state.withLockedValue { $0.boundPort } }
    public var uptime: TimeInterval { Date().timeIntervalSince(state.withLockedValue { $0.startedAt }) }
    /// Requests refused (`rejections` says why).
    public var rejected: Int { state.withLockedValue { $0.rejections.total } }
    /// Requests to paths that are neither the G path nor an event name (404, not recorded).
    public var notFound: Int { rejections.filter { $0.status == 404 }.reduce(0) { $0 + $1.count } }
    /// Events answered 503 because the log could not be written.
    public var logFailureCount: Int { state.withLockedValue { $0.logFailures } }
    /// Events recorded although their body was not JSON but what a documented sample prints
    /// (`LenientJSON`), by kind; none when the listener is strict.
    public var acceptedLeniently: [LenientJSON.Quirk: Int] { state.withLockedValue { $0.lenientCounts } }

    /// Opens the `--log` file at its path again, as after logrotate moved it away (a log moved
    /// or deleted is also noticed at the next batch of events without being asked). A failure
    /// is warned of at the next batch, answered 503.
    public func reopenLog() {
        state.withLockedValue { $0.log }?.reopen()
    }

    /// Opens every listener's `--log` file at its path again: SIGHUP when simsh is not interactive.
    public static func reopenLogs() {
        EventLog.reopenAll()
    }

    /// Answers what was received, then closes; queued forwards are finished.
    public func stop() async {
        let (s, pending) = state.withLockedValue { state -> (HTTPServer?, [Task<Void, Never>]) in
            defer {
                state.server = nil
                state.forwards = []
            }
            return (state.server, state.forwards)
        }
        await s?.stop()
        flushRejectionSummaries()
        // Replies being computed are answered (each within its deadline) before the end.
        let until = ContinuousClock.now + componentDeadline + .seconds(1)
        while computing.value > 0, ContinuousClock.now < until { try? await Task.sleep(for: .milliseconds(5)) }
        for t in pending { await t.value }
        state.withLockedValue { $0.log = nil }
    }

    func trackForward(_ task: Task<Void, Never>) {
        state.withLockedValue { state in
            state.forwards.removeAll { $0.isCancelled }
            state.forwards.append(task)
            if state.forwards.count > 256 { state.forwards.removeFirst(state.forwards.count - 256) }
        }
    }

    /// What one request becomes before it is recorded: an answer already, an event to record,
    /// or a component request whose reply is being computed.
    enum Received {
        case answered(ServerResponse)
        case event(Pending)
        case computed(
            ServerRequest, WebhookDecoder.Decoded, rule: String, within: Duration?, @Sendable () async -> JSONValue?)
    }

    typealias Pending = (request: ServerRequest, decoded: WebhookDecoder.Decoded, reply: JSONValue?)

    /// Answers requests in order. The events among them are recorded and logged (one `write`)
    /// before any is answered 200; a component request whose reply a rule computes is recorded
    /// and answered when it has it.
    func handle(_ requests: [ServerRequest]) -> [ServerReply] {
        let received = requests.map(receive)
        if let recordStore = configuration.recordStore, let loop = MultiThreadedEventLoopGroup.currentEventLoop {
            return handleStored(received, store: recordStore, on: loop)
        }
        var pending: [Pending] = []
        for case .event(let p) in received { pending.append(p) }
        var recorded = record(pending)[...]
        return received.map { r in
            switch r {
            case .answered(let response): return .now(response)
            case .event: return .now(recorded.popFirst() ?? .ok)
            case .computed(let request, let decoded, let rule, let within, let compute):
                return .later(computeReply(request, decoded, rule: rule, within: within, compute))
            }
        }
    }

    /// Checks a request's credentials and decodes it.
    private func receive(_ request: ServerRequest) -> Received {
        if let auth = configuration.basicAuth, !Self.authorized(request, auth) {
            let why = Self.whyUnauthorized(request, auth)
            reject(request, 401, why.kind, why.reason)
            return .answered(
                ServerResponse(
                    status: 401,
                    headers: [("WWW-Authenticate", "Basic realm=\"simsh\""), ("Content-Type", "text/plain")],
                    body: Array("unauthorized\n".utf8)))
        }
        let decoded: WebhookDecoder.Decoded
        do {
            decoded = try WebhookDecoder.decode(request, prefix: configuration.path, strict: configuration.strict)
        } catch {
            switch error {
            case .notFound:
                reject(request, 404, "no such path", notFoundReason)
                return .answered(.text(404, "not found\n"))
            case .methodNotAllowed:
                let reason = "method \(request.method) not allowed; events come as GET or POST"
                reject(request, 405, "method not allowed", reason)
                return .answered(.text(405, "method not allowed\n"))
            case .badRequest(let why):
                reject(request, 400, "not an event", why)
                return .answered(.text(400, why + "\n"))
            }
        }
        // A component request always gets a JSON reply: an event filter is about events.
        let isComponent = decoded.name == ReceivedEvent.componentName
        if let filter = configuration.eventFilter, !filter.contains(decoded.name.lowercased()), !isComponent {
            return .answered(.text(200, "ignored\n"))
        }
        guard isComponent else { return .event((request, decoded, nil)) }
        switch componentAnswer?(decoded.payload) {
        case .reply(let reply): return .event((request, decoded, reply))
        case .compute(let rule, let within, let compute):
            return .computed(request, decoded, rule: rule, within: within, compute)
        case nil: return .event((request, decoded, ComponentKind.declined))
        }
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
