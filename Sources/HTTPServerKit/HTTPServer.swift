import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on SwiftNIO: NIOHTTP1 parses, the handler answers each complete
/// request asynchronously. Used by the webhook listener and by the simulator.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (ServerRequest) async -> ServerResponse

    /// How requests are answered.
    public enum Responder: Sendable {
        /// Runs on the connection's event loop: for quick work that never blocks.
        case immediate(@Sendable (ServerRequest) -> ServerResponse)
        /// Runs on an event loop once per turn of the loop, with every request completed in that
        /// turn on that loop's connections, in arrival order, and answers them in the same order:
        /// for quick work with a cost worth sharing (the listener writes one log line per event
        /// but only one `write` per turn).
        case grouped(@Sendable ([ServerRequest]) -> [ServerReply])
        /// Runs as a task (the simulator).
        case async(Handler)

        /// Answers are written in request order without queueing (no pipelining assistance needed).
        var answersInOrder: Bool {
            if case .async = self { return false }
            return true
        }
    }

    private let responder: Responder
    private let limits: ServerLimits
    private let logger: Logger
    private let channel = Mutex<Channel?>(nil)
    private let inFlight = InFlightCounter()
    /// Each event-loop thread's requests waiting for the turn's `grouped` answer.
    private let batches = ThreadSpecificVariable<RequestBatch>()

    /// Called when the server itself refuses a request: 413 (body over the limit), 431 (header
    /// fields over NIO's limit), 400 (not HTTP/1.1, or cut short by the client), 408 (not complete
    /// in time: the connection is closed). Called on the connection's event loop: it must be quick.
    private let onRejected: (@Sendable (ServerRejection) -> Void)?

    public convenience init(
        limits: ServerLimits = ServerLimits(), logger: Logger = Logger(label: "simsh.http"),
        onRejected: (@Sendable (ServerRejection) -> Void)? = nil, handler: @escaping Handler
    ) {
        self.init(limits: limits, logger: logger, onRejected: onRejected, responder: .async(handler))
    }

    public init(
        limits: ServerLimits = ServerLimits(), logger: Logger = Logger(label: "simsh.http"),
        onRejected: (@Sendable (ServerRejection) -> Void)? = nil, responder: Responder
    ) {
        self.responder = responder
        self.limits = limits
        self.logger = logger
        self.onRejected = onRejected
    }

    /// Binds and starts serving; returns the port actually bound (useful with port 0).
    public func start(host: String, port: Int) async throws -> Int {
        let responder = self.responder
        let limits = self.limits
        let logger = self.logger
        let inFlight = self.inFlight
        let onRejected = self.onRejected
        let batches = self.batches
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            // A client may close its side once it has sent its requests: they are still answered.
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    let guardHandler = ConnectionGuard(
                        requestTimeout: .milliseconds(Int64(limits.requestTimeoutSeconds * 1000)),
                        idleTimeout: .milliseconds(Int64(limits.idleTimeoutSeconds * 1000)))
                    try sync.addHandler(guardHandler)
                    // An immediate or grouped responder writes answers in request order: pipelined
                    // requests need no queueing then. Malformed requests are answered 400 by the
                    // collector, and idle connections closed by the guard: every handler between
                    // the collector and the encoder is a hop for each part of every answer.
                    try sync.configureHTTPServerPipeline(
                        withPipeliningAssistance: !responder.answersInOrder, withServerUpgrade: nil,
                        withErrorHandling: false,
                        withOutboundHeaderValidation: false)
                    // The initializer runs on the connection's own event loop thread.
                    let batch = batches.currentValue ?? RequestBatch()
                    batches.currentValue = batch
                    try sync.addHandler(
                        HTTPRequestCollector(
                            limits: limits, logger: logger, inFlight: inFlight, onRejected: onRejected,
                            responder: responder, connectionGuard: guardHandler, batch: batch
                        ))
                }
            }
        if let size = limits.socketSendBuffer {
            bootstrap = bootstrap.childChannelOption(ChannelOptions.socketOption(.so_sndbuf), value: size)
        }
        do {
            let ch = try await bootstrap.bind(host: host, port: port).get()
            channel.withLock { $0 = ch }
            return ch.localAddress?.port ?? port
        } catch {
            throw ServerStartError(host: host, port: port, reason: Self.describe(error))
        }
    }

    /// Stops accepting, then waits (up to `grace` seconds) for requests already received to be answered.
    public func stop(grace: Double = 5) async {
        let ch = channel.withLock { channel -> Channel? in
            defer { channel = nil }
            return channel
        }
        guard let ch else { return }
        try? await ch.close()
        let deadline = ContinuousClock.now + .milliseconds(Int64(grace * 1000))
        while inFlight.value > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    static func describe(_ error: Error) -> String {
        if let e = error as? IOError {
            switch e.errnoCode {
            case EADDRINUSE: return "address already in use"
            case EACCES: return "permission denied"
            case EADDRNOTAVAIL: return "address not available on this machine"
            default: return String(cString: strerror(e.errnoCode)).lowercased()
            }
        }
        if error is SocketAddressError { return "cannot resolve the host" }
        return String(describing: error)
    }
}

/// Counts requests being handled, so a stop can wait for them.
final class InFlightCounter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add(_ n: Int) { count.add(n, ordering: .relaxed) }
}
