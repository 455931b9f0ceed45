/// One shell word as written: literal text and `$VAR` references, expanded when its
/// command runs (so `set X 1; echo $X` sees the new value).
public struct Word: Equatable, Sendable {
    public enum Part: Equatable, Sendable {
        case literal(String)
        case variable(String)
    }

    public var parts: [Part]
    public var location: SourceLocation
    /// Character offsets of the word in the source text (for redaction).
    public var sourceRange: Range<Int>

    /// The word's text when it holds no variables.
    public var literalText: String? {
        var s = ""
        for part in parts {
            guard case .literal(let t) = part else { return nil }
            s += t
        }
        return s
    }

    /// Substitutes variables. A dotted name that is not defined falls back to its longest
    /// defined prefix followed by the rest as text (`$file.txt` with `file` set) — except under
    /// `$response.` and `$event.`, where a path that is not in the answer or the event is an
    /// undefined variable (`$response.data.0._id` of an empty list is not `[].0._id`).
    public func expanded(lookup: (String) -> String?) throws -> String {
        var s = ""
        for part in parts {
            switch part {
            case .literal(let t): s += t
            case .variable(let name):
                var head = name
                var tail = ""
                while true {
                    if let value = lookup(head) {
                        s += value + tail
                        break
                    }
                    guard let dot = head.lastIndex(of: "."), !Self.isStructured(name) else {
                        throw SimshError.usage("undefined variable $\(name)", at: location)
                    }
                    tail = String(head[dot...]) + tail
                    head = String(head[..<dot])
                }
            }
        }
        return s
    }
}

extension Word {
    /// Names whose paths come from JSON (the last answer, the last waited event).
    static func isStructured(_ name: String) -> Bool {
        name.hasPrefix("response.") || name.hasPrefix("event.")
    }
}

/// One command of a script: its words and where it starts.
public struct ParsedCommand: Equatable, Sendable {
    public var words: [Word]
    public var location: SourceLocation { words[0].location }
}
