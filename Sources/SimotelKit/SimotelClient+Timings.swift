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

        public init(headSent: Double? = nil, requestSent: Double? = nil, firstByte: Double? = nil, total: Double = 0) {
            self.headSent = headSent
            self.requestSent = requestSent
            self.firstByte = firstByte
            self.total = total
        }
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
final class PhaseRecorder: HTTPClientResponseDelegate, Sendable {
    typealias Response = (HTTPResponseHead, [UInt8])

    private struct State {
        var recorded = SimotelClient.Phases()
        var head: HTTPResponseHead?
        var body: [UInt8] = []
    }
    private let state = NIOLockedValueBox(State())
    private let start = ContinuousClock.now
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    var phases: SimotelClient.Phases { state.withLockedValue { $0.recorded } }

    private func now() -> Double { SimotelClient.milliseconds(ContinuousClock.now - start) }

    func didSendRequestHead(task: HTTPClient.Task<Response>, _ head: HTTPRequestHead) {
        let t = now()
        state.withLockedValue { $0.recorded.headSent = t }
    }

    func didSendRequest(task: HTTPClient.Task<Response>) {
        let t = now()
        state.withLockedValue { $0.recorded.requestSent = t }
    }

    func didReceiveHead(task: HTTPClient.Task<Response>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let t = now()
        state.withLockedValue {
            $0.recorded.firstByte = t
            $0.head = head
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Response>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let over = state.withLockedValue { state -> Bool in
            guard state.body.count + buffer.readableBytes <= limit else { return true }
            state.body.append(contentsOf: buffer.readableBytesView)
            return false
        }
        if over { return task.eventLoop.makeFailedFuture(SimotelError.tooLarge(limit: limit)) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Response>) throws -> Response {
        let t = now()
        return try state.withLockedValue { state throws -> Response in
            state.recorded.total = t
            guard let head = state.head else { throw SimotelError.badResponse("no answer head") }
            return (head, state.body)
        }
    }
}
