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
        let trace = forwardTrace?()
        let task = Task {
            let (line, _) = await Self.send(event, to: base, headers: headers, trace: trace)
            report?(line)
        }
        trackForward(task)
    }

    /// Sends a recorded event to `base` exactly as it arrived (method, path below the listener's
    /// prefix, query, body, Content-Type) with extra headers; returns the `-->` line that says
    /// how it went, and whether the receiver answered 2xx. Used by forwarding and `events resend`;
    /// with a `trace` (`-v`, `trace on`) the request and the answer are shown as the API's are.
    public static func send(
        _ event: ReceivedEvent, to base: String, headers: [(String, String)] = [], trace: SimotelClient.Trace? = nil
    ) async -> (line: String, ok: Bool) {
        // `user:password@` in the URL: Basic credentials, unless a header already gives some.
        let (address, fromURL) = ReceiverURL.split(base)
        var headers = headers
        if let fromURL, !headers.contains(where: { $0.0.lowercased() == "authorization" }) {
            headers.append(ReceiverURL.header(fromURL))
        }
        var target = address
        while target.hasSuffix("/") { target.removeLast() }
        // The G address itself (`/`) adds nothing to the base (whatever the method); a Rest suffix
        // (`/NewState`) is appended; the query follows as it came.
        if event.suffix == "/" || event.suffix.isEmpty {
            if address.hasSuffix("/") { target += "/" }
        } else {
            target += event.suffix.hasPrefix("/") ? event.suffix : "/" + event.suffix
        }
        target += event.uri.firstIndex(of: "?").map { String(event.uri[$0...]) } ?? ""
        var request = HTTPClientRequest(url: target)
        request.method = HTTPMethod(rawValue: event.method)
        if let ct = event.contentType { request.headers.add(name: "Content-Type", value: ct) }
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if !event.body.isEmpty { request.body = .bytes(ByteBuffer(bytes: event.body)) }
        trace?.request(
            method: event.method, url: target, headers: request.headers.map { ($0.name, $0.value) }, body: event.body)
        let start = ContinuousClock.now
        do {
            let response = try await WebhookHTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            let ms = Self.ms(ContinuousClock.now - start)
            trace?.response(
                Int(response.status.code), response.status.reasonPhrase,
                headers: response.headers.map { ($0.name, $0.value) }, body: Array(body.readableBytesView),
                phases: SimotelClient.Phases(total: (ContinuousClock.now - start).milliseconds))
            return (
                "--> [\(response.status.code)] \(event.method) \(target) (\(ms) ms)",
                (200..<300).contains(Int(response.status.code))
            )
        } catch {
            let ms = Self.ms(ContinuousClock.now - start)
            let reason = await TransportErrorDescription.describe(error, timeout: 10, url: target)
            trace?.failure(reason, after: (ContinuousClock.now - start).milliseconds)
            return ("--> [failed] \(event.method) \(target) (\(ms) ms): \(reason)", false)
        }
    }

    static func ms(_ d: Duration) -> String {
        String(format: "%.0f", d.milliseconds)
    }
}
