import Foundation

extension SimotelClient {
    /// Where `-v` sends each request and answer: lines as curl -v prints them (`> ` out, `< `
    /// in), the authentication headers and secret-named body fields masked here (the session
    /// masks every other known secret value on output).
    public struct Trace: Sendable {
        /// `-vv`: the time to the answer's first byte and to its end.
        public var timings: Bool
        public var write: @Sendable (String) -> Void

        public init(timings: Bool, write: @escaping @Sendable (String) -> Void) {
            self.timings = timings
            self.write = write
        }

        /// The most of a body a trace shows.
        static let bodyLimit = 4096

        public func request(method: String, url: String, headers: [(String, String)], body: [UInt8]?) {
            var lines = ["> \(method) \(Self.target(url))"]
            if let c = URLComponents(string: url), let host = c.host {
                lines.append("> Host: \(host)" + (c.port.map { ":\($0)" } ?? ""))
            }
            for (name, value) in headers { lines.append("> \(name): \(Self.headerValue(name, value))") }
            lines.append(">")
            if let body, !body.isEmpty { lines += Self.body(body).map { "> " + $0 } }
            write(lines.joined(separator: "\n"))
        }

        public func response(
            _ status: Int, _ reason: String, headers: [(String, String)], body: [UInt8], phases: Phases
        ) {
            var lines = ["< \(status) \(reason) (\(Self.ms(phases.total)))"]
            if timings { lines.append("* " + Self.describe(phases)) }
            for (name, value) in headers { lines.append("< \(name): \(Self.headerValue(name, value))") }
            lines.append("<")
            if !body.isEmpty { lines += Self.body(body).map { "< " + $0 } }
            write(lines.joined(separator: "\n"))
        }

        static func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }

        /// `connected and request head sent after 1.2 ms (…), …, whole answer after 3.4 ms`.
        static func describe(_ p: Phases) -> String {
            var parts: [String] = []
            if let head = p.headSent {
                // The client does not say whether it opened a connection for this request or kept
                // one open from an earlier one: the time covers both cases.
                parts.append(
                    "connected and request head sent after \(ms(head)) (TCP connect and TLS, when a new connection was needed)"
                )
            }
            if let sent = p.requestSent { parts.append("request sent after \(ms(sent))") }
            if let first = p.firstByte { parts.append("first byte after \(ms(first))") }
            parts.append("whole answer after \(ms(p.total))")
            return parts.joined(separator: ", ")
        }

        public func failure(_ reason: String, after ms: Double) {
            write("* no answer after \(String(format: "%.1f", ms)) ms: \(reason)")
        }

        /// `/api/v4/setting/ping/act` from the whole URL.
        static func target(_ url: String) -> String {
            guard let c = URLComponents(string: url) else { return url }
            return c.percentEncodedPath + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
        }

        static func headerValue(_ name: String, _ value: String) -> String {
            switch name.lowercased() {
            case "authorization":
                let scheme = value.split(separator: " ").first.map(String.init) ?? ""
                return scheme.isEmpty || scheme == value ? "****" : "\(scheme) ****"
            case "x-apikey", "cookie", "set-cookie": return "****"
            default: return value
            }
        }

        /// A body as text: JSON with secret-named fields masked, cut at `bodyLimit`.
        static func body(_ bytes: [UInt8]) -> [String] {
            var text: String
            if let json = try? JSONValue.parse(bytes) {
                text = masked(json).serialized()
            } else if let s = String(validating: bytes, as: UTF8.self) {
                text = s
            } else {
                return ["(\(bytes.count) bytes of binary data)"]
            }
            if text.count > bodyLimit { text = String(text.prefix(bodyLimit)) + "… (\(bytes.count) bytes in all)" }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }

        static func masked(_ v: JSONValue) -> JSONValue {
            switch v {
            case .object(let pairs):
                return .object(
                    pairs.map { key, value in
                        if SecretNames.isSecretKey(key), case .string(let s) = value, !s.isEmpty {
                            return (key, .string("****"))
                        }
                        return (key, masked(value))
                    })
            case .array(let items): return .array(items.map(masked))
            default: return v
            }
        }
    }
}
