/// One field of a request body (api-v4.md §8), with a dotted name for nesting
/// (`conditions.number`, `forward_policy.No Answer`, `pagination.start`).
public struct FieldSpec: Sendable, Equatable {
    /// The JSON type the documentation's samples send.
    public enum Kind: String, Sendable {
        case string, number, bool, array, object
    }

    /// `R` required (Simotel refuses the call without it), `L` "logical" (normally sent),
    /// `O` optional (api-v4.md §0).
    public enum Need: String, Sendable {
        case required = "R"
        case logical = "L"
        case optional = "O"
    }

    public var name: String
    public var kind: Kind
    public var need: Need
    /// Values Simotel accepts; empty when any value goes.
    public var allowed: [String]
    /// The documentation's sample value (its JSON type is the one to send); nil when the
    /// samples leave the field out.
    public var sample: JSONValue?
    public var help: String

    public init(
        _ name: String, _ kind: Kind, _ need: Need, allowed: [String] = [], sample: JSONValue?, help: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.need = need
        self.allowed = allowed
        self.sample = sample
        self.help = help
    }
}

/// One API v4 service (a row of api-v4.md §10): how to call it and what it takes.
public struct EndpointSpec: Sendable {
    public enum Body: String, Sendable {
        /// A JSON object in, the envelope out.
        case json
        /// multipart/form-data with one part named `file`.
        case upload
        /// A JSON object in, raw file bytes out (404 when missing).
        case download
    }

    public enum Paging: String, Sendable {
        case none
        /// `pagination {start, count, sorting}` in, `{pagination{…total}, data[…]}` out.
        case pages
        /// `{"_id": last}` in, `{last_id, data[20]}` out.
        case cursor
    }

    /// The command that calls it: `["users", "add"]`, `["originate"]`, `["autodialer", "groups", "upload"]`.
    public var words: [String]
    /// Under `/api/v4/`.
    public var path: String
    public var method: String
    public var body: Body
    public var fields: [FieldSpec]
    public var paging: Paging
    public var summary: String
    /// Asks for confirmation in the interactive shell.
    public var destructive: Bool

    public init(
        _ words: [String], _ path: String, method: String = "POST", body: Body = .json, paging: Paging = .none,
        destructive: Bool = false, summary: String, fields: [FieldSpec]
    ) {
        self.words = words
        self.path = path
        self.method = method
        self.body = body
        self.fields = fields
        self.paging = paging
        self.summary = summary
        self.destructive = destructive
    }

    public var command: String { words.joined(separator: " ") }

    /// The body of the documentation's sample: every field with its sample value, nested.
    public var sampleBody: JSONValue {
        var body = JSONValue.object([])
        for f in fields {
            guard let sample = f.sample else { continue }
            body = body.setting(path: f.name.split(separator: ".").map(String.init), to: sample)
        }
        return body
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

extension JSONValue {
    /// A copy with the value at a nested path set, creating objects on the way.
    public func setting(path: [String], to value: JSONValue) -> JSONValue {
        guard let head = path.first else { return value }
        if path.count == 1 { return setting(head, to: value) }
        var inner = JSONValue.object([])
        if let existing = self[head], case .object = existing { inner = existing }
        return setting(head, to: inner.setting(path: Array(path.dropFirst()), to: value))
    }
}
