/// What toml++ (under TOMLKit) would abort on or read past, found before it sees the text.
///
/// toml++ is C++: on some malformed inputs it fails an assertion (in release builds too) or
/// reads past the end, where it should report a parse error (found by `scripts/fuzz`: a NUL, a
/// control character or a lone CR, a table header not closed on its line or holding what no key
/// may hold, a dotted key with an empty part). The structure of each line is checked here — a
/// line-level subset of TOML's grammar: headers and keys; values are only skipped over, across
/// lines for multi-line strings and arrays — and everything else is left to toml++.
enum TOMLPrecheck {
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var what: String
    }

    static func problem(_ text: String) -> Problem? {
        controlCharacter(text) ?? structure(text)
    }

    /// TOML allows no control character but tab and line ends; a CR only before a LF.
    static func controlCharacter(_ text: String) -> Problem? {
        let scalars = Array(text.unicodeScalars)
        guard
            let bad = scalars.indices.first(where: { i in
                let c = scalars[i]
                if c == "\r" { return i + 1 == scalars.count || scalars[i + 1] != "\n" }
                return (c.value < 0x20 && c != "\t" && c != "\n") || c.value == 0x7F
            })
        else { return nil }
        let lineStart = scalars[..<bad].lastIndex(of: "\n").map { $0 + 1 } ?? 0
        let what =
            switch scalars[bad] {
            case "\0": "a NUL character"
            case "\r": "a carriage return not followed by a line feed"
            default: "a control character"
            }
        return Problem(line: scalars[..<bad].count(where: { $0 == "\n" }) + 1, column: bad - lineStart + 1, what: what)
    }

    static let tableName = "a table name is keys of letters, digits, '_', '-' or quoted, joined by '.'"
    static let keyName = "a key is letters, digits, '_', '-' or quoted, joined by '.', then '='"
    static let unclosed = "a table header ends with ']' on its line"

    /// Each line outside a value: blank, a comment, a `[table]`/`[[table]]` header, or `key = value`.
    static func structure(_ text: String) -> Problem? {
        var depth = 0  // '[' of an array value still open
        var multiline: Character?  // the quote of a multi-line string still open
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (n, line) in lines.enumerated() {
            let chars = Array(line)
            var i = n == 0 && chars.first == "\u{FEFF}" ? 1 : 0  // a byte-order mark
            func fail(_ what: String) -> Problem { Problem(line: n + 1, column: i + 1, what: what) }
            if multiline == nil, depth == 0 {
                skipBlanks(chars, &i)
                if i == chars.count || chars[i] == "#" { continue }
                if chars[i] == "[" {
                    let double = i + 1 < chars.count && chars[i + 1] == "["
                    i += double ? 2 : 1
                    guard dottedKey(chars, &i) else { return fail(i >= chars.count ? unclosed : tableName) }
                    for _ in 0..<(double ? 2 : 1) {
                        guard i < chars.count, chars[i] == "]" else {
                            return fail(i == chars.count ? unclosed : tableName)
                        }
                        i += 1
                    }
                    skipBlanks(chars, &i)
                    guard i == chars.count || chars[i] == "#" else { return fail(tableName) }
                    continue
                }
                guard dottedKey(chars, &i), i < chars.count, chars[i] == "=" else { return fail(keyName) }
                i += 1
            }
            skipValue(chars, &i, depth: &depth, multiline: &multiline)
        }
        return nil
    }

    static func skipBlanks(_ chars: [Character], _ i: inout Int) {
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
    }

    /// `key(.key)*` with blanks around each part; on success `i` is past the blanks after it.
    static func dottedKey(_ chars: [Character], _ i: inout Int) -> Bool {
        while true {
            skipBlanks(chars, &i)
            guard i < chars.count else { return false }
            let c = chars[i]
            if c == "\"" || c == "'" {
                i += 1
                while i < chars.count, chars[i] != c { i += c == "\"" && chars[i] == "\\" ? 2 : 1 }
                guard i < chars.count else { return false }
                i += 1
            } else {
                let start = i
                while i < chars.count, chars[i].isASCII,
                    chars[i].isLetter || chars[i].isNumber || chars[i] == "_"
                        || chars[i] == "-"
                {
                    i += 1
                }
                guard i > start else { return false }
            }
            skipBlanks(chars, &i)
            guard i < chars.count, chars[i] == "." else { return true }
            i += 1
        }
    }

    /// Past a value's text on this line, keeping track of strings and arrays that go on to the next.
    static func skipValue(_ chars: [Character], _ i: inout Int, depth: inout Int, multiline: inout Character?) {
        func opens(_ q: Character, at i: Int) -> Bool {
            i + 2 < chars.count && chars[i] == q && chars[i + 1] == q && chars[i + 2] == q
        }
        while i < chars.count {
            let c = chars[i]
            if let q = multiline {
                if opens(q, at: i) {
                    multiline = nil
                    i += 3
                } else {
                    i += q == "\"" && c == "\\" ? 2 : 1
                }
                continue
            }
            switch c {
            case "#": i = chars.count
            case "\"", "'":
                if opens(c, at: i) {
                    multiline = c
                    i += 3
                    continue
                }
                i += 1
                while i < chars.count, chars[i] != c { i += c == "\"" && chars[i] == "\\" ? 2 : 1 }
                i += 1
            case "[":
                depth += 1
                i += 1
            case "]":
                depth = max(0, depth - 1)
                i += 1
            default: i += 1
            }
        }
    }
}
