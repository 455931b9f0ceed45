import Foundation

/// Reads `Name(arg, …); Name(…)` and notes what is wrong as it goes.
struct SmartParser {
    let chars: [Character]
    var i = 0
    var mistakes: [SmartScript.Mistake] = []
    /// What is doubtful but not wrong: an empty command.
    var warnings: [SmartScript.Mistake] = []
    var missingSemicolon = false

    init(_ text: String) { chars = Array(text) }

    var column: Int { i + 1 }

    mutating func skipSpaces() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    mutating func note(_ message: String, at column: Int? = nil) {
        mistakes.append(SmartScript.Mistake(column: column ?? self.column, message: message))
    }

    static let typographic: Set<Character> = ["‘", "’", "“", "”", "‛", "′", "«", "»"]

    mutating func commands() -> [SmartScript.Command] {
        var out: [SmartScript.Command] = []
        skipSpaces()
        while i < chars.count {
            if chars[i] == ";" {
                noteEmptyCommand()
                i += 1
                skipSpaces()
                continue
            }
            let start = column
            var name = ""
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
                name.append(chars[i])
                i += 1
            }
            if name.isEmpty {
                note("expected a function name, found '\(chars[i])'")
                // Skip to the next command.
                while i < chars.count, chars[i] != ";" { i += 1 }
                if i < chars.count { i += 1 }
                skipSpaces()
                continue
            }
            skipSpaces()
            guard i < chars.count, chars[i] == "(" else {
                note("\(name) needs '(' and its arguments")
                while i < chars.count, chars[i] != ";" { i += 1 }
                if i < chars.count { i += 1 }
                skipSpaces()
                continue
            }
            i += 1
            let before = mistakes.count
            let arguments = self.arguments()
            var command = SmartScript.Command(name, arguments, column: start)
            command.malformed = mistakes.count != before
            command.afterMissingSemicolon = missingSemicolon
            missingSemicolon = false
            out.append(command)
            skipSpaces()
            if i < chars.count {
                if chars[i] == ";" {
                    i += 1
                } else {
                    note("';' expected between commands")
                    missingSemicolon = true
                }
            }
            skipSpaces()
        }
        return out
    }

    /// A `;` at `i` with no command before it: a warning, since Simotel's documentation does not
    /// say how it is taken. Between two `;` it is what the PHP SDK's `MusicOnHold()` writes (it
    /// adds its own `;` before the SDK joins the commands with `;`).
    mutating func noteEmptyCommand() {
        var j = i - 1
        while j >= 0, chars[j].isWhitespace { j -= 1 }
        let why = j >= 0 && chars[j] == ";" ? " (the PHP SDK's MusicOnHold() writes one)" : ""
        warnings.append(
            SmartScript.Mistake(
                column: column,
                message: "empty command at column \(column)\(why); Simotel's docs do not say how it is taken"))
    }

    /// A whole number ends at a space, `,` or `)`: `12:14:09` is not one.
    func isNumberToken(from start: Int) -> Bool {
        var j = start + 1
        while j < chars.count, chars[j].isNumber { j += 1 }
        return j >= chars.count || chars[j].isWhitespace || chars[j] == "," || chars[j] == ")"
    }

    /// The arguments up to the closing `)`.
    mutating func arguments() -> [SmartScript.Argument] {
        var out: [SmartScript.Argument] = []
        skipSpaces()
        if i < chars.count, chars[i] == ")" {
            i += 1
            return out
        }
        while i < chars.count {
            skipSpaces()
            guard i < chars.count else { break }
            let c = chars[i]
            if c == "'" {
                guard let s = quotedString() else { return out }
                out.append(.string(s))
            } else if Self.typographic.contains(c) || c == "\"" {
                out.append(.string(misquotedString(c)))
            } else if (c.isNumber || c == "-") && isNumberToken(from: i) {
                out.append(.integer(wholeNumber()))
            } else {
                out.append(.string(bareWord()))
            }
            skipSpaces()
            guard i < chars.count else { break }
            if chars[i] == "," {
                i += 1
                continue
            }
            if chars[i] == ")" {
                i += 1
                return out
            }
            note("',' or ')' expected")
            while i < chars.count, chars[i] != ")", chars[i] != ";" { i += 1 }
            if i < chars.count, chars[i] == ")" { i += 1 }
            return out
        }
        note("')' missing")
        return out
    }

    /// A string in straight single quotes, opening at `i`; nil when it is not closed (said).
    mutating func quotedString() -> String? {
        let open = column
        i += 1
        var s = ""
        while i < chars.count, chars[i] != "'" {
            if Self.typographic.contains(chars[i]) { note("typographic quote \(chars[i]) inside a string") }
            s.append(chars[i])
            i += 1
        }
        if i >= chars.count {
            note("string not closed with '", at: open)
            return nil
        }
        i += 1
        return s
    }

    /// A string opening at `i` with `c`, a double or typographic quote: the string meant (said).
    mutating func misquotedString(_ c: Character) -> String {
        // ‘default’ or "default": read it as the string meant, and say so.
        let close: Set<Character> = c == "\"" ? ["\""] : Self.typographic
        note(
            c == "\""
                ? "double quote \": strings go in straight single quotes '…'"
                : "typographic quote \(c): strings go in straight single quotes '…'")
        i += 1
        var s = ""
        while i < chars.count, !close.contains(chars[i]), chars[i] != ")", chars[i] != "," {
            s.append(chars[i])
            i += 1
        }
        if i < chars.count, close.contains(chars[i]) { i += 1 }
        return s
    }

    /// The whole number at `i` as written (`007` stays `007`); too large a number is said.
    mutating func wholeNumber() -> String {
        let start = i
        i += 1
        while i < chars.count, chars[i].isNumber { i += 1 }
        let text = String(chars[start..<i])
        if Int(text) == nil { note("\(text) is too large a number", at: start + 1) }
        return text
    }

    /// The bare word at `i`, up to `,`, `)` or `;`, kept as text (said).
    mutating func bareWord() -> String {
        // A bare word: Simotel takes only quoted text.
        let start = i
        while i < chars.count, chars[i] != ",", chars[i] != ")", chars[i] != ";" { i += 1 }
        let word = String(chars[start..<i]).trimmingCharacters(in: .whitespaces)
        if word.isEmpty {
            note("an argument is missing", at: start + 1)
            return ""
        }
        note(
            "'\(word)' is neither a quoted string nor a whole number (text goes in quotes: '\(word)')",
            at: start + 1)
        return word
    }
}
