import NIOHTTP1

/// A request refused, by the server itself (413, 431, 400, 408) or by its owner (401, 404, …):
/// what the owner counts and shows.
public struct ServerRejection: Sendable, Equatable {
    /// The status answered (408: the connection was closed, nothing answered).
    public var status: Int
    /// The kind of refusal in a few words, the same for every request of its kind (`body too large`):
    /// what refusals are counted and shown by. A handful of fixed strings, never the request's text.
    public var kind: String
    /// Why this request was refused, in words (`body of 2000000 bytes over the 1 MiB limit`).
    public var reason: String
    /// The request's method and path (without the query), when its head was read.
    public var method: String?
    public var path: String?
    /// `ip:port` of the client.
    public var remoteAddress: String

    public init(
        status: Int, kind: String, reason: String, method: String? = nil, path: String? = nil, remoteAddress: String
    ) {
        self.status = status
        self.kind = kind
        self.reason = reason
        self.method = method
        self.path = path
        self.remoteAddress = remoteAddress
    }

    /// A refusal of `request`, with its method, path and sender.
    public init(status: Int, kind: String, reason: String, request: ServerRequest) {
        self.init(
            status: status, kind: kind, reason: reason, method: request.method, path: request.path,
            remoteAddress: request.remoteAddress)
    }

    /// A refusal of the request whose head is `head` (nil when it was not read).
    init(status: Int, kind: String, reason: String, head: HTTPRequestHead?, remoteAddress: String) {
        var path: String?
        if let head {
            path =
                ServerRequest(
                    method: head.method.rawValue, uri: head.uri, fields: HTTPHeaders(), body: [], remoteAddress: ""
                ).path
        }
        self.init(
            status: status, kind: kind, reason: reason, method: head?.method.rawValue, path: path,
            remoteAddress: remoteAddress)
    }

    /// `1 MiB`, `80 KiB`, `100 bytes`: a limit in words.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    /// The words of a refusal that the HTTP parser decided: 431 for header fields over NIO's
    /// limit, 400 for the rest.
    static func malformed(_ error: HTTPParserError, head: HTTPRequestHead?, remoteAddress: String)
        -> ServerRejection
    {
        switch error {
        case .headerOverflow:
            return ServerRejection(
                status: 431, kind: "header fields too large",
                reason: "header fields over the \(size(NIOHTTPDecoderLimitConfiguration().maxHeaderListSize)) limit",
                head: head, remoteAddress: remoteAddress)
        case .invalidEOFState:
            return ServerRejection(
                status: 400, kind: "request cut short",
                reason: "the client closed its side before the request was complete", head: head,
                remoteAddress: remoteAddress)
        default:
            return ServerRejection(
                status: 400, kind: "not HTTP/1.1", reason: "not an HTTP/1.1 request: \(error.debugDescription)",
                head: head, remoteAddress: remoteAddress)
        }
    }
}
