import NIOCore
import NIOHTTP1

/// The requests one event loop completed in its current turn, answered together when the turn's
/// I/O is done (NIO runs tasks after it): touched only on that loop's thread.
/// Sendable: `items` and `spare` are touched only on the event-loop thread that owns the batch (one per thread,
/// from `HTTPServer.batches` in the channel initializer; `run` is scheduled on that loop).
final class RequestBatch: @unchecked Sendable {
    struct Item {
        /// The request for the responder, or nil when it is `answered` already (a refusal that
        /// must keep its place among its connection's answers).
        var request: ServerRequest?
        var answered: ServerResponse?
        var head: HTTPRequestHead
        var keepAlive: Bool
        var collector: HTTPRequestCollector
        var context: ChannelHandlerContext
    }

    private var items: [Item] = []
    /// The other of two arrays used in turn, so that a turn's batch is neither copied nor allocated.
    private var spare: [Item] = []

    func add(_ item: Item, on loop: EventLoop, answer: @escaping @Sendable ([ServerRequest]) -> [ServerReply]) {
        items.append(item)
        guard items.count == 1 else { return }
        loop.execute { self.run(answer) }
    }

    private func run(_ answer: @Sendable ([ServerRequest]) -> [ServerReply]) {
        var taken: [Item] = []
        swap(&taken, &spare)
        swap(&taken, &items)
        defer {
            taken.removeAll(keepingCapacity: true)
            spare = taken
        }
        let requests = taken.compactMap(\.request)
        let responses = requests.isEmpty ? [] : answer(requests)
        precondition(responses.count == requests.count, "a grouped responder answers every request")
        var next = responses.makeIterator()
        for item in taken {
            let reply = item.answered.map { ServerReply.now($0) } ?? next.next()!
            item.collector.answer(reply, head: item.head, keepAlive: item.keepAlive, context: item.context)
        }
    }
}
