import Foundation

/// What went wrong talking to Simotel. Messages are short, lower-case and never carry secrets.
public enum SimotelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server could not be reached or did not answer: refused, timeout, TLS, DNS.
    case transport(url: String, reason: String)
    /// The server answered with a non-2xx status; `message` is Simotel's text when there was one.
    case http(status: Int, message: String)
    /// The server answered 2xx with `success` 0.
    case api(status: Int, message: String)
    /// A 2xx answer that is not what the endpoint returns.
    case badResponse(String)
    /// The answer was larger than the connection's limit; none of it was kept.
    case tooLarge(limit: Int)
    /// A local file could not be written (a download).
    case file(String)

    public var description: String {
        switch self {
        case .transport(let url, let reason): return "cannot reach \(url): \(reason)"
        case .http(let status, let message): return message.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(message)"
        case .api(_, let message): return message.isEmpty ? "Simotel answered success 0" : message
        case .badResponse(let reason): return "unexpected response: \(reason)"
        case .file(let reason): return reason
        case .tooLarge(let limit): return "answer larger than \(ByteSize.text(limit)); nothing kept (see --max-size)"
        }
    }
}

/// Sizes in words: `32 MiB`, `1.5 MiB`, `512 KiB`, `100 bytes`.
public enum ByteSize {
    public static func text(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 && bytes < 1 << 20 { return "\(bytes >> 10) KiB" }
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) bytes"
    }
}
