import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

extension SimotelClient {
    /// When each phase of one exchange ended, in milliseconds from its start (`-vv`).
    public struct Phases: Sendable {
        /// The request's head went out: a connection was made (TLS included) or reused.
        public var headSent: Double?
        /// The whole request went out.
        public var requestSent: Double?
        /// The answer's head arrived (the first byte).
        public var firstByte: Double?
        public var total: Double = 0
    }

    /// An exchange through AsyncHTTPClient's delegate interface, which reports when the request
    /// left and the answer began: what `-vv` shows. The answer is held (up to the connection's
    /// limit); downloads to a file do not take this path.
    func sendTimed(_ request: HTTPClient.Request, timeout: Double) async throws -> (
        head: HTTPResponseHead, body: [UInt8], phases: Phases
    ) {
        let delegate = PhaseRecorder(limit: connection.maxAnswerBytes)
        let task = http.execute(
            request: request, delegate: delegate, deadline: .now() + .milliseconds(Int64(timeout * 1000)))
        let (head, body) = try await withTaskCancellationHandler {
            try await task.futureResult.get()
        } onCancel: {
            task.cancel()
        }
        return (head, body, delegate.phases)
    }
}

/// Notes when the request left and the answer came, and keeps the answer up to a limit.
/// Sendable: `recorded`, `head` and `body` are read and written only under `lock`; `start` and `limit` are `let`s.
final class PhaseRecorder: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = (HTTPResponseHead, [UInt8])

    private let lock = NIOLock()
    private let start = ContinuousClock.now
    private let limit: Int
    private var recorded = SimotelClient.Phases()
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    var phases: SimotelClient.Phases { lock.withLock { recorded } }

    private func now() -> Double { SimotelClient.milliseconds(ContinuousClock.now - start) }

    func didSendRequestHead(task: HTTPClient.Task<Response>, _ head: HTTPRequestHead) {
        let t = now()
        lock.withLock { recorded.headSent = t }
    }

    func didSendRequest(task: HTTPClient.Task<Response>) {
        let t = now()
        lock.withLock { recorded.requestSent = t }
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let t = now()
        lock.withLock {
            recorded.firstByte = t
            self.head = head
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let over = lock.withLock { () -> Bool in
            guard body.count + buffer.readableBytes <= limit else { return true }
            body.append(contentsOf: buffer.readableBytesView)
            return false
        }
        if over { return task.eventLoop.makeFailedFuture(SimotelError.tooLarge(limit: limit)) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        let t = now()
        return try lock.withLock {
            recorded.total = t
            guard let head else { throw SimotelError.badResponse("no answer head") }
            return (head, body)
        }
    }
}
