import SimotelKit

/// Every failure simsh reports: a kind that fixes the exit status, a short lower-case
/// message, and where in the script it happened.
public struct SimshError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// An expectation failed (`expect`, `wait`): exit 1.
        case expectation
        /// Bad usage or script syntax: exit 2.
        case usage
        /// Transport or local I/O: refused, timeout, TLS, port in use, unreadable file: exit 3.
        case transport
        /// The API said no: HTTP non-2xx or `success` 0: exit 4.
        case api
    }

    /// The source line of a failing check or expression, with a caret under the part meant.
    public struct Snippet: Equatable, Sendable {
        public var line: String
        /// 1-based column of the first character meant, and how many are meant.
        public var column: Int
        public var length: Int

        public init(line: String, column: Int, length: Int) {
            self.line = line
            self.column = column
            self.length = length
        }
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?
    public var snippet: Snippet?
    /// False when the message names itself (`expect failed: …`): no `error:` before it.
    public var labeled = true
    /// Whether the failure is also written as a JSON object on standard output, when the failing
    /// command chose its own output mode (`users search --output json`); nil: as the session's.
    public var asJSON: Bool?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public static func usage(_ message: String, at location: SourceLocation? = nil) -> SimshError {
        SimshError(.usage, message, at: location)
    }

    public static func io(_ message: String) -> SimshError { SimshError(.transport, message) }

    /// The exit status of design.md's contract.
    public var exitStatus: Int32 {
        switch kind {
        case .expectation: return 1
        case .usage: return 2
        case .transport: return 3
        case .api: return 4
        }
    }

    public var description: String { message }

    /// Maps any error a command may throw onto the contract.
    public static func from(_ error: Error, context: String? = nil) -> SimshError {
        if let e = error as? SimshError { return e }
        let prefix = context.map { "\($0): " } ?? ""
        if let e = error as? SimotelError {
            switch e {
            case .transport, .tooLarge, .file: return SimshError(.transport, "\(e)")
            case .http, .api, .badResponse: return SimshError(.api, prefix + "\(e)")
            }
        }
        return SimshError(.transport, prefix + "\(error)")
    }
}

/// Thrown by `exit`: ends the script or the shell with this status.
public struct ExitRequest: Error, Equatable, Sendable {
    public var status: Int32
    public init(status: Int32) { self.status = status }
}
