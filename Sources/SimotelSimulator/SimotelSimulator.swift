import Foundation
import HTTPServerKit
import Logging
import NIOConcurrencyHelpers
import SimotelKit

/// A faithful in-process Simotel: API v4 over HTTP with the documented auth, statuses and
/// messages (api-v4.md §3–6), and the event webhooks Simotel sends (webhooks.md).
public final class SimotelSimulator: Sendable {
    public let configuration: SimulatorConfiguration
    private let logger: Logger
    private struct State {
        var server: HTTPServer?
        var boundPort: Int?
        var eventsTarget: String?
        /// How calls to or from a number end, when not answered.
        var outcomes: [String: CallOutcome] = [:]
        /// The calls being played, by number: `stop` lets them end.
        var calls: [Int: Task<Void, Never>] = [:]
        var nextCall = 0
    }
    private let state: NIOLockedValueBox<State>
    private let sender: WebhookSender
    /// Events go out one at a time, in the order they happen (as Simotel sends a call's events):
    /// one delivery task reads them from this stream.
    private let outbox: AsyncStream<(JSONValue, String, String)>.Continuation
    private let delivery: Task<Void, Never>
    let store = SimulatorStore()
    let files = SimulatorFiles()
    /// The services by path, built once from the catalog.
    let serviceTable: [String: Service]

    public init(configuration: SimulatorConfiguration, logger: Logger = Logger(label: "simsh.simulator")) {
        self.configuration = configuration
        self.logger = logger
        var outcomes = configuration.seedDemo ? Self.demoOutcomes : [:]
        for (number, outcome) in configuration.outcomes {
            outcomes[Self.outcomeKey(number)] = outcome == .answered ? nil : outcome
        }
        self.state = NIOLockedValueBox(State(eventsTarget: configuration.eventsTo, outcomes: outcomes))
        let sender = WebhookSender(logger: logger)
        self.sender = sender
        let (stream, continuation) = AsyncStream<(JSONValue, String, String)>.makeStream(
            bufferingPolicy: .bufferingNewest(1024))
        self.outbox = continuation
        self.delivery = Task {
            for await (payload, name, target) in stream {
                do {
                    _ = try await sender.send(payload, eventName: name, to: target)
                } catch {
                    logger.debug("event \(name) to \(target) failed: \(error)")
                }
            }
        }
        self.serviceTable = Self.services(for: configuration)
        if configuration.seedDemo { seedDemo() }
    }

    /// Starts listening and returns the server root, e.g. `http://127.0.0.1:41234`.
    @discardableResult
    public func start() async throws -> String {
        // Answered on the event loop, as the listener is: every service is quick in-memory work
        // (a call's events go out later, from the delivery task).
        let log = configuration.requestLog
        var onRejected: (@Sendable (ServerRejection) -> Void)?
        if let log { onRejected = { log(Self.logLine($0)) } }
        let server = HTTPServer(
            logger: logger, onRejected: onRejected,
            responder: .immediate { [weak self] request in
                guard let self else { return .text(503, "stopped") }
                guard let log else { return self.handle(request) }
                let started = ContinuousClock.now
                let response = self.handle(request)
                log(Self.logLine(request, status: response.status, took: ContinuousClock.now - started))
                return response
            })
        let port = try await server.start(host: configuration.host, port: configuration.port)
        state.withLockedValue {
            $0.server = server
            $0.boundPort = port
        }
        return url
    }

    /// The server root (`http://host:port`).
    public var url: String {
        let port = state.withLockedValue { $0.boundPort } ?? configuration.port
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)"
    }

    public var port: Int? { state.withLockedValue { $0.boundPort } }

    /// Where events go; settable while running (the demo points it at the session's listener).
    public var eventsURL: String? {
        get { state.withLockedValue { $0.eventsTarget } }
        set { state.withLockedValue { $0.eventsTarget = newValue } }
    }

    /// Stops serving after answering what was received, letting the calls being played end and
    /// delivering queued events.
    public func stop() async {
        let server = state.withLockedValue { state -> HTTPServer? in
            defer { state.server = nil }
            return state.server
        }
        await server?.stop()
        let calls = state.withLockedValue { Array($0.calls.values) }
        for call in calls { await call.value }
        outbox.finish()
        await delivery.value
    }

    /// How calls to or from `number` end (answered unless set otherwise).
    public func outcome(for number: String) -> CallOutcome {
        let key = Self.outcomeKey(number)
        return state.withLockedValue { $0.outcomes[key] } ?? .answered
    }

    /// Sets how calls to or from `number` end from now on (calls already ringing keep theirs).
    public func setOutcome(_ outcome: CallOutcome, for number: String) {
        let key = Self.outcomeKey(number)
        state.withLockedValue { $0.outcomes[key] = outcome == .answered ? nil : outcome }
    }

    /// The numbers whose calls do not end answered, and how they end.
    public var outcomes: [String: CallOutcome] { state.withLockedValue { $0.outcomes } }

    static func outcomeKey(_ number: String) -> String { number.trimmingCharacters(in: .whitespaces) }

    /// Plays a call in a task of its own, kept until it ends (`stop` waits for it).
    func startCall(_ plan: CallPlan) {
        state.withLockedValue { state in
            let id = state.nextCall
            state.nextCall += 1
            state.calls[id] = Task { [weak self] in
                await self?.play(plan)
                self?.callEnded(id)
            }
        }
    }

    private func callEnded(_ id: Int) {
        _ = state.withLockedValue { $0.calls.removeValue(forKey: id) }
    }

    deinit {
        outbox.finish()
        delivery.cancel()
    }

    /// Queues an event webhook for the configured URL, if any, without blocking the caller.
    func emit(_ payload: JSONValue, name: String) {
        guard let target = eventsURL else { return }
        outbox.yield((payload, name, target))
    }
}
