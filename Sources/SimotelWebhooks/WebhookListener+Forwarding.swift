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
        let headers = configuration.forwardHeaders
        let report = onForward
        let task = Task {
            let (line, _) = await Self.send(event, to: base, headers: headers)
            report?(line)
        }
        trackForward(task)
    }

    /// Sends a recorded event to `base` exactly as it arrived (method, path below the listener's
    /// prefix, query, body, Content-Type) with extra headers; returns the `-->` line that says
    /// how it went, and whether the receiver answered 2xx. Used by forwarding and `events resend`.
    public static func send(_ event: ReceivedEvent, to base: String, headers: [(String, String)] = []) async -> (
        line: String, ok: Bool
    ) {
        var target = base
        while target.hasSuffix("/") { target.removeLast() }
        // The G address itself (`/`) adds nothing to the base (whatever the method); a Rest suffix
        // (`/NewState`) is appended; the query follows as it came.
        if event.suffix == "/" || event.suffix.isEmpty {
            if base.hasSuffix("/") { target += "/" }
        } else {
            target += event.suffix.hasPrefix("/") ? event.suffix : "/" + event.suffix
        }
        target += event.uri.firstIndex(of: "?").map { String(event.uri[$0...]) } ?? ""
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
            return (
                "--> [\(response.status.code)] \(event.method) \(target) (\(ms) ms)",
                (200..<300).contains(Int(response.status.code))
            )
        } catch {
            let ms = Self.ms(ContinuousClock.now - start)
            let reason = await TransportErrorDescription.describe(error, timeout: 10, url: target)
            return ("--> [failed] \(event.method) \(target) (\(ms) ms): \(reason)", false)
        }
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.0f", d.milliseconds)
    }
}
