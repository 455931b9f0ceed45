import Foundation
import Logging
import SimotelKit
import SimotelWebhooks

/// A faithful in-process Simotel: API v4 over HTTP with the documented auth, statuses and
/// messages (api-v4.md §3–6), and the event webhooks Simotel sends (webhooks.md).
public final class SimotelSimulator: @unchecked Sendable {
    public let configuration: SimulatorConfiguration
    private let logger: Logger
    private let lock = NSLock()
    private var server: HTTPServer?
    private var boundPort: Int?
    private var eventsTarget: String?
    private var pendingEvents: [Task<Void, Never>] = []
    private let sender: WebhookSender
    let store = SimulatorStore()
    let files = SimulatorFiles()
    /// The services by path, built once from the catalog.
    private(set) var serviceTable: [String: Service] = [:]

    public init(configuration: SimulatorConfiguration, logger: Logger = Logger(label: "simsh.simulator")) {
        self.configuration = configuration
        self.logger = logger
        self.eventsTarget = configuration.eventsTo
        self.sender = WebhookSender(logger: logger)
        self.serviceTable = services()
        if configuration.seedDemo { seedDemo() }
    }

    /// Starts listening and returns the server root, e.g. `http://127.0.0.1:41234`.
    @discardableResult
    public func start() async throws -> String {
        let server = HTTPServer(logger: logger) { [weak self] request in
            guard let self else { return .text(503, "stopped") }
            return await self.handle(request)
        }
        let port = try await server.start(host: configuration.host, port: configuration.port)
        lock.withLock {
            self.server = server
            self.boundPort = port
        }
        return url
    }

    /// The server root (`http://host:port`).
    public var url: String {
        let port = lock.withLock { boundPort } ?? configuration.port
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)"
    }

    public var port: Int? { lock.withLock { boundPort } }

    /// Where events go; settable while running (the demo points it at the session's listener).
    public var eventsURL: String? {
        get { lock.withLock { eventsTarget } }
        set { lock.withLock { eventsTarget = newValue } }
    }

    /// Stops serving after answering what was received and delivering queued events.
    public func stop() async {
        let (server, tasks) = lock.withLock { () -> (HTTPServer?, [Task<Void, Never>]) in
            defer {
                self.server = nil
                pendingEvents = []
            }
            return (self.server, pendingEvents)
        }
        await server?.stop()
        for t in tasks { await t.value }
    }

    /// Fires an event webhook at the configured URL, if any, without blocking the caller.
    func emit(_ payload: JSONValue, name: String) {
        guard let target = eventsURL else { return }
        let sender = self.sender
        let logger = self.logger
        let task = Task {
            do {
                _ = try await sender.send(payload, eventName: name, to: target)
            } catch {
                logger.debug("event \(name) to \(target) failed: \(error)")
            }
        }
        lock.withLock {
            pendingEvents.removeAll { $0.isCancelled }
            pendingEvents.append(task)
            if pendingEvents.count > 64 { pendingEvents.removeFirst(pendingEvents.count - 64) }
        }
    }
}
