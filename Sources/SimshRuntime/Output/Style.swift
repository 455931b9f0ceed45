/// simsh's few colours, as ANSI SGR sequences: the one place they are written. With colour off
/// (`NO_COLOR`, `--no-color`, `--color never`, not a terminal) every function returns its text as is.
public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// `text` between `ESC [ code m` and `ESC [ 0 m`, when colour is on and there is text.
    public func paint(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String { paint(text, "1") }
    /// A table's header line.
    public func header(_ text: String) -> String { paint(text, "1") }
    /// An event's name in an event line (`<-- Ping`).
    public func eventName(_ text: String) -> String { paint(text, "1;35") }
    /// `SUCCESS` in a check's result line.
    public func success(_ text: String) -> String { paint(text, "1;32") }
    /// `FAILURE` in a check's result line.
    public func failure(_ text: String) -> String { paint(text, "1;31") }
    public func errorLabel(_ text: String) -> String { paint(text, "1;31") }
    public func warningLabel(_ text: String) -> String { paint(text, "1;33") }
    public func noteLabel(_ text: String) -> String { paint(text, "1;36") }

    /// JSON text (as `serialized` writes it) with keys, strings, numbers and literals coloured:
    /// keys bold blue, strings green, numbers cyan, `true`/`false`/`null` yellow.
    public func json(_ text: String) -> String {
        guard enabled else { return text }
        let chars = Array(text)
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 4)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\"" {
                let end = Self.stringEnd(chars, from: i)
                let literal = String(chars[i..<end])
                var next = end
                while next < chars.count, chars[next] == " " { next += 1 }
                out += paint(literal, next < chars.count && chars[next] == ":" ? "1;34" : "32")
                i = end
            } else if c == "-" || (c.isASCII && c.isNumber) {
                var end = i + 1
                while end < chars.count, chars[end].isASCII, chars[end].isNumber || ".eE+-".contains(chars[end]) {
                    end += 1
                }
                out += paint(String(chars[i..<end]), "36")
                i = end
            } else if "tfn".contains(c),
                let word = ["true", "false", "null"].first(where: { Self.starts(chars, at: i, with: $0) })
            {
                out += paint(word, "33")
                i += word.count
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// The index just after the string literal that starts at `start` (its closing quote).
    static func stringEnd(_ chars: [Character], from start: Int) -> Int {
        var j = start + 1
        while j < chars.count {
            if chars[j] == "\\" {
                j += 2
                continue
            }
            if chars[j] == "\"" { return j + 1 }
            j += 1
        }
        return chars.count
    }

    static func starts(_ chars: [Character], at i: Int, with word: String) -> Bool {
        let w = Array(word)
        return i + w.count <= chars.count && Array(chars[i..<(i + w.count)]) == w
    }

    /// Text without its SGR sequences (to measure what a coloured line takes on screen).
    public static func plain(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            guard c == "\u{1B}" else {
                out.unicodeScalars.append(c)
                continue
            }
            // `ESC [ … m`: skipped up to and including its final letter.
            while let d = scalars.next(), !(("a"..."z").contains(d) || ("A"..."Z").contains(d)) {}
        }
        return out
    }
}
