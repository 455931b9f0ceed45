/// One shell word as written: literal text and `$VAR` references, expanded when its
/// command runs (so `set X 1; echo $X` sees the new value).
public struct Word: Equatable, Sendable {
    public enum Part: Equatable, Sendable {
        case literal(String)
        case variable(String)
    }

    /// Most words of a script are plain text: they keep it without an array of parts (a
    /// script's words are all in memory before it runs, and copied as its commands run).
    private enum Storage: Equatable, Sendable {
        case text(String)
        case parts([Part])
    }

    private var storage: Storage
    public var location: SourceLocation
    /// Character offsets of the word in the source text (for redaction).
    public var sourceRange: Range<Int>

    public init(parts: [Part], location: SourceLocation, sourceRange: Range<Int>) {
        if parts.count == 1, case .literal(let text) = parts[0] {
            storage = .text(text)
        } else {
            storage = .parts(parts)
        }
        self.location = location
        self.sourceRange = sourceRange
    }

    init(text: String, location: SourceLocation, sourceRange: Range<Int>) {
        storage = .text(text)
        self.location = location
        self.sourceRange = sourceRange
    }

    public var parts: [Part] {
        get {
            switch storage {
            case .text(let text): [.literal(text)]
            case .parts(let parts): parts
            }
        }
        set { self = Word(parts: newValue, location: location, sourceRange: sourceRange) }
    }

    /// The word's text when it holds no variables.
    public var literalText: String? {
        switch storage {
        case .text(let text):
            return text
        case .parts(let parts):
            var s = ""
            for part in parts {
                guard case .literal(let t) = part else { return nil }
                s += t
            }
            return s
        }
    }

    /// Substitutes variables. A dotted name that is not defined falls back to its longest
    /// defined prefix followed by the rest as text (`$file.txt` with `file` set) — except under
    /// `$response.` and `$event.`, where a path that is not in the answer or the event is an
    /// undefined variable (`$response.data.0._id` of an empty list is not `[].0._id`).
    public func expanded(lookup: (String) -> String?) throws -> String {
        let parts: [Part]
        switch storage {
        case .text(let text): return text
        case .parts(let p): parts = p
        }
        var s = ""
        for part in parts {
            switch part {
            case .literal(let t): s += t
            case .variable(let name) where name.utf8.contains(UInt8(ascii: ":")) && name.contains(":-"):
                // `${NAME:-default}`: the default when NAME is unset or empty.
                let split = name.range(of: ":-")!
                let value = lookup(String(name[..<split.lowerBound])) ?? ""
                s += value.isEmpty ? String(name[split.upperBound...]) : value
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

/// The characters of a script, shared by its commands (each keeps a range, not a copy).
public final class ScriptText: Sendable {
    public let chars: [Character]

    public init(_ chars: [Character]) { self.chars = chars }
}

/// One command of a script: its words, where it starts, and its text as written (the check
/// language reads expressions from it; failures show the line with a caret).
public struct ParsedCommand: Equatable, Sendable {
    public var words: [Word]
    /// The script it is in, and its range there: from the first word's first character to the
    /// last word's last.
    let script: ScriptText?
    var span: Range<Int>

    public init(words: [Word], script: ScriptText? = nil, span: Range<Int>? = nil) {
        self.words = words
        self.script = script
        self.span = span ?? (words.first?.sourceRange.lowerBound ?? 0)..<(words.last?.sourceRange.upperBound ?? 0)
    }

    public static func == (a: ParsedCommand, b: ParsedCommand) -> Bool {
        a.words == b.words && a.raw == b.raw
    }

    /// Its text as written.
    public var raw: String {
        guard let chars = script?.chars, span.upperBound <= chars.count else { return "" }
        return String(chars[span])
    }

    /// The whole source line it starts on.
    public var sourceLine: String {
        guard let chars = script?.chars, span.lowerBound <= chars.count else { return "" }
        func isNewline(_ c: Character) -> Bool { c == "\n" || c == "\r\n" || c == "\r" }
        var start = span.lowerBound
        while start > 0, !isNewline(chars[start - 1]) { start -= 1 }
        var end = span.lowerBound
        while end < chars.count, !isNewline(chars[end]) { end += 1 }
        return String(chars[start..<end])
    }

    public var location: SourceLocation { words[0].location }

    /// The first word when it is written literally (`if`, `expect`, `end`).
    public var keyword: String? { words.isEmpty ? nil : words[0].literalText }

    /// The text from word `index` to the end, and its offset in `raw`.
    public func text(fromWord index: Int) -> (text: String, offset: Int) {
        guard index < words.count else { return ("", raw.count) }
        let offset = words[index].sourceRange.lowerBound - words[0].sourceRange.lowerBound
        return (String(raw.dropFirst(offset)), offset)
    }

    /// Where a character offset of `raw` is in the script.
    public func location(atOffset offset: Int) -> SourceLocation {
        var loc = location
        for c in raw.prefix(offset) {
            if c == "\n" || c == "\r\n" {
                loc.line += 1
                loc.column = 1
            } else {
                loc.column += 1
            }
        }
        return loc
    }
}
