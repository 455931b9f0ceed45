import AsyncHTTPClient
import NIOCore

/// One HTTP request as a test sends it: a fresh connection each time, the status back.
package enum TestHTTP {
    /// The header of a JSON body.
    package static let json = [("Content-Type", "application/json")]

    /// Sends the Pings numbered `numbers` (`pingBody`) one after another; their statuses.
    package static func sendPings(_ numbers: Range<Int>, to url: String) async throws -> [Int] {
        var statuses: [Int] = []
        for i in numbers { statuses.append(try await send(url, headers: json, body: pingBody(i))) }
        return statuses
    }

    package static func send(
        _ url: String, method: String = "POST", headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> Int {
        var r = HTTPClientRequest(url: url)
        r.method = .init(rawValue: method)
        // No pooled connection: a listener's short idle timeout must not race a reused one.
        r.headers.add(name: "Connection", value: "close")
        for (k, v) in headers { r.headers.add(name: k, value: v) }
        if let body { r.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(r, timeout: timeout)
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
