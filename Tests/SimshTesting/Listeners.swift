import NIOConcurrencyHelpers
import SimotelWebhooks

/// Lines gathered from callbacks on any thread.
package final class LineCollector: Sendable {
    /// A pthread lock the thread sanitizer sees (the listener's event loops add lines), not a Mutex.
    private let lines = NIOLockedValueBox<[String]>([])
    package init() {}
    package func add(_ l: String) { lines.withLockedValue { $0.append(l) } }
    package var all: [String] { lines.withLockedValue { $0 } }
}

/// Runs `body` with a started listener, stopping it whatever happens.
package func withListener(
    _ config: ListenerConfiguration = ListenerConfiguration(), _ body: (WebhookListener) async throws -> Void
) async throws {
    let listener = WebhookListener(configuration: config)
    try await listener.start()
    do { try await body(listener) } catch {
        await listener.stop()
        throw error
    }
    await listener.stop()
}
