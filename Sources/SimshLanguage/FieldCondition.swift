/// `FIELD=VALUE`: a condition on an event's or a request's field (`--where`, `wait event … where`).
public struct FieldCondition: Sendable, Equatable {
    public var field: String
    public var value: String

    /// Nil when the text has no `=` or nothing before it.
    public init?(_ text: String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { return nil }
        field = String(text[..<eq])
        value = String(text[text.index(after: eq)...])
    }
}
