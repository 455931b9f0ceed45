import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SimotelKit

extension WebhookListener {
    /// Sends the event on with the same method, path suffix, query, body and Content-Type,
    /// plus the configured headers. Never blocks or stops the listener.
    func forward(_ event: ReceivedEvent) {
        guard let base = configuration.forwardTo else { return }
        var target = base
        while target.hasSuffix("/") { target.removeLast() }
        let suffixAndQuery = event.suffix + (event.uri.firstIndex(of: "?").map { String(event.uri[$0...]) } ?? "")
        target += suffixAndQuery.hasPrefix("/") ? suffixAndQuery : "/" + suffixAndQuery
        if target.hasSuffix("/") && !base.hasSuffix("/") && event.suffix == "/" { target.removeLast() }
        let headers = configuration.forwardHeaders
        let report = onForward
        let task = Task {
            var request = HTTPClientRequest(url: target)
            request.method = HTTPMethod(rawValue: event.method)
            if let ct = event.contentType { request.headers.add(name: "Content-Type", value: ct) }
            for (k, v) in headers { request.headers.add(name: k, value: v) }
            if !event.body.isEmpty { request.body = .bytes(ByteBuffer(bytes: event.body)) }
            let start = ContinuousClock.now
            do {
                let response = try await WebhookHTTPClient.shared.execute(request, timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 20)
                let ms = Self.ms(ContinuousClock.now - start)
                report?("--> [\(response.status.code)] \(event.method) \(target) (\(ms) ms)")
            } catch {
                let ms = Self.ms(ContinuousClock.now - start)
                let reason = await TransportErrorDescription.describe(error, timeout: 10, url: target)
                report?("--> [failed] \(event.method) \(target) (\(ms) ms): \(reason)")
            }
        }
        trackForward(task)
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.0f", d.milliseconds)
    }
}
