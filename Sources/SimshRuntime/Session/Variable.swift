import SimotelKit

/// What a variable holds: text, as `set NAME VALUE`, `--var`, `$1` and secrets give it, or a
/// typed value (`set NAME = EXPR`, `$request` in a rule's script).
public enum Variable: Sendable, Equatable {
    case text(String)
    case value(JSONValue)

    /// What `$NAME` expands to in words.
    public var text: String {
        switch self {
        case .text(let text): return text
        case .value(let value): return value.displayText
        }
    }

    /// The variable in an expression: text is a string.
    public var value: JSONValue {
        switch self {
        case .text(let text): return .string(text)
        case .value(let value): return value
        }
    }

    /// As `set` lists it: text as it is, a typed value as JSON.
    public var listed: String {
        switch self {
        case .text(let text): return text
        case .value(let value): return value.serialized()
        }
    }
}
