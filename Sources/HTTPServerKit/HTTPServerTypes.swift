import Foundation
import NIOCore
import NIOHTTP1

/// One complete HTTP request as the server hands it to a handler.
public struct ServerRequest: Sendable {
    public var method: String
    /// The request target as sent (path and query).
    public var uri: String
    /// The header fields as NIOHTTP1 parsed them (shared with the parsed head, not copied).
    public var fields: HTTPHeaders
    public var body: [UInt8]
    /// `ip:port` of the client.
    public var remoteAddress: String

    public var headers: [(name: String, value: String)] { fields.map { ($0.name, $0.value) } }

    public init(
        method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8], remoteAddress: String
    ) {
        self.init(
            method: method, uri: uri, fields: HTTPHeaders(headers.map { ($0.name, $0.value) }), body: body,
            remoteAddress: remoteAddress)
    }

    public init(method: String, uri: String, fields: HTTPHeaders, body: [UInt8], remoteAddress: String) {
        self.method = method
        self.uri = uri
        self.fields = fields
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The path without the query, percent-decoded.
    public var path: String {
        var target = Substring(uri)
        // The absolute form (`POST http://host:8089/hooks`, RFC 9112 §3.2.2): the path after the authority.
        if target.hasPrefix("http://") || target.hasPrefix("https://"), let scheme = target.range(of: "://") {
            let rest = target[scheme.upperBound...]
            target = rest.firstIndex(where: { $0 == "/" || $0 == "?" }).map { rest[$0...] } ?? "/"
            if target.hasPrefix("?") { target = "/" + target }
        }
        let raw = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { String(target[..<$0]) } ?? String(target)
        // Foundation's decoding is slow and this runs for every request: only when there is a `%`.
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        return raw.removingPercentEncoding ?? raw
    }

    /// The query string after `?`, if any.
    public var query: String? {
        guard let i = uri.firstIndex(of: "?") else { return nil }
        return String(uri[uri.index(after: i)...])
    }

    /// The first header of that name (ASCII case-insensitive).
    public func header(_ name: String) -> String? { fields.first(name: name) }

    /// The media type of Content-Type, lower-cased, without parameters.
    public var mediaType: String? {
        guard let value = header("Content-Type") else { return nil }
        // Nearly every webhook says exactly this: answered without building a string.
        if value == "application/json" || value == "application/json; charset=utf-8" { return "application/json" }
        let type =
            value.utf8.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        let trimmed = type.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
        return String(decoding: trimmed, as: UTF8.self).lowercased()
    }
}

/// What a handler answers.
public struct ServerResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `200 ok`: how the listener answers an event it recorded.
    public static let ok = ServerResponse.text(200, "ok\n")

    public static func text(_ status: Int, _ text: String) -> ServerResponse {
        ServerResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array(text.utf8))
    }

    public static func json(_ status: Int, _ text: String) -> ServerResponse {
        ServerResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
    }
}

/// A grouped responder's answer to one request: now, or later (a connection's answers still
/// go out in the order of its requests).
public enum ServerReply: Sendable {
    case now(ServerResponse)
    case later(EventLoopFuture<ServerResponse>)
}

/// Limits that protect a server from bad clients.
public struct ServerLimits: Sendable {
    /// Larger bodies are answered 413.
    public var maxBodyBytes: Int
    /// A connection that sends nothing for this long is closed.
    public var idleTimeoutSeconds: Double
    /// A whole request, headers and body, must arrive within this many seconds of its first byte.
    public var requestTimeoutSeconds: Double
    /// The kernel's send buffer per connection (`SO_SNDBUF`); nil leaves the system's.
    public var socketSendBuffer: Int?

    public init(
        maxBodyBytes: Int = 1 << 20, idleTimeoutSeconds: Double = 30, requestTimeoutSeconds: Double = 30,
        socketSendBuffer: Int? = nil
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.socketSendBuffer = socketSendBuffer
    }
}

/// Why a server could not start.
public struct ServerStartError: Error, CustomStringConvertible, Sendable {
    public var host: String
    public var port: Int
    public var reason: String
    public var description: String { "cannot listen on \(host):\(port): \(reason)" }

    public init(host: String, port: Int, reason: String) {
        self.host = host
        self.port = port
        self.reason = reason
    }
}
