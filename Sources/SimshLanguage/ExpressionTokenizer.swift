import Foundation

/// The tokens of an expression.
struct ExpressionToken: Sendable {
    enum Kind: Sendable {
        case number(Double)
        case string(String)
        /// A double-quoted string with variables: parts as written.
        case template([Expression.TextPart])
        case variable(String, [Expression.PathStep])
        case word(String)
        case symbol(String)
    }

    var kind: Kind
    var range: Range<Int>
}

extension ExpressionParser {
    // MARK: tokens

    /// The expression's text as tokens, blanks and continued lines left out.
    func tokenize() throws(ExpressionError) -> [ExpressionToken] {
        var out: [ExpressionToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" {
                i += 1
                continue
            }
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "\n" {  // a continued line
                i += 2
                continue
            }
            let t = try token(at: i)
            out.append(t)
            i = t.range.upperBound
        }
        return out
    }

    /// The token that starts at `start` (not a blank): a number, text, a variable, a word or a symbol.
    func token(at start: Int) throws(ExpressionError) -> ExpressionToken {
        let c = chars[start]
        if c.isASCII && c.isNumber
            || (c == "-" && start + 1 < chars.count && chars[start + 1].isASCII && chars[start + 1].isNumber)
        {
            return try numberToken(at: start)
        }
        if c == "'" {
            return try singleQuotedToken(at: start)
        }
        if c == "\"" {
            return try doubleQuotedToken(at: start)
        }
        if c == "$" {
            guard let (name, path, after) = try variable(at: start) else {
                throw ExpressionError("'$' must start a variable ($NAME, $response.status)", offset: start)
            }
            return ExpressionToken(kind: .variable(name, path), range: start..<after)
        }
        if c.isLetter || c == "_" {
            var i = start
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
            return ExpressionToken(kind: .word(String(chars[start..<i]).lowercased()), range: start..<i)
        }
        return try symbolToken(at: start)
    }

    /// A number at `start` (`31`, `-2.5`, `1e3`), which must be finite.
    func numberToken(at start: Int) throws(ExpressionError) -> ExpressionToken {
        var i = start + 1
        while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "." { i += 1 }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, chars[j].isASCII, chars[j].isNumber {
                i = j
                while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
            }
        }
        let text = String(chars[start..<i])
        guard let d = Double(text) else {
            throw ExpressionError("'\(text)' is not a number", offset: start, length: i - start)
        }
        guard d.isFinite else {
            throw ExpressionError("\(text) is too large a number", offset: start, length: i - start)
        }
        return ExpressionToken(kind: .number(d), range: start..<i)
    }

    /// `'…'` at `start`: text as it is, without variables or escapes.
    func singleQuotedToken(at start: Int) throws(ExpressionError) -> ExpressionToken {
        var i = start + 1
        var s = ""
        while i < chars.count, chars[i] != "'" {
            s.append(chars[i])
            i += 1
        }
        guard i < chars.count else { throw ExpressionError("unterminated single quote", offset: start) }
        i += 1
        return ExpressionToken(kind: .string(s), range: start..<i)
    }

    /// `"…"` at `start`: text, or a template when variables are written in it.
    func doubleQuotedToken(at start: Int) throws(ExpressionError) -> ExpressionToken {
        var i = start + 1
        var parts: [Expression.TextPart] = []
        var s = ""
        var closed = false
        while i < chars.count {
            let d = chars[i]
            if d == "\"" {
                closed = true
                i += 1
                break
            }
            if d == "\\", i + 1 < chars.count {
                // As in words: a backslash escapes only `"`, `\` and `$`; before anything
                // else it stays (`"Exit\('go'\)"` is the regular expression it looks like).
                let e = chars[i + 1]
                if e == "\"" || e == "\\" || e == "$" {
                    s.append(e)
                } else {
                    s.append(d)
                    s.append(e)
                }
                i += 2
                continue
            }
            if d == "$", let (name, path, after) = try variable(at: i) {
                if !s.isEmpty { parts.append(.literal(s)) }
                s = ""
                parts.append(.variable(name: name, path: path))
                i = after
                continue
            }
            s.append(d)
            i += 1
        }
        guard closed else { throw ExpressionError("unterminated double quote", offset: start) }
        if !s.isEmpty || parts.isEmpty { parts.append(.literal(s)) }
        if parts.count == 1, case .literal(let only) = parts[0] {
            return ExpressionToken(kind: .string(only), range: start..<i)
        }
        return ExpressionToken(kind: .template(parts), range: start..<i)
    }

    /// An operator or a bracket at `i` (`==`, `<`, `(`, `,`), or why the character is none.
    func symbolToken(at i: Int) throws(ExpressionError) -> ExpressionToken {
        let c = chars[i]
        let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
        if ["==", "!=", "<=", ">="].contains(two) {
            return ExpressionToken(kind: .symbol(two), range: i..<(i + 2))
        }
        if "<>()[],".contains(c) {
            return ExpressionToken(kind: .symbol(String(c)), range: i..<(i + 1))
        }
        if c == "=" {
            throw ExpressionError("'=' compares nothing: use '==' to compare", offset: i)
        }
        throw ExpressionError("unexpected '\(c)' in an expression", offset: i)
    }

    static func isNameChar(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }

    /// `$name`, `$name.key.0`, `$name[0]["a key"]`, `${name}`, `$1`, `$#`, `$?` at `i`:
    /// the name, the path and the offset after it.
    func variable(at i: Int) throws(ExpressionError) -> (String, [Expression.PathStep], Int)? {
        var j = i + 1
        guard j < chars.count else { return nil }
        var name = ""
        if chars[j] == "{" {
            j += 1
            while j < chars.count, chars[j] != "}" {
                name.append(chars[j])
                j += 1
            }
            guard j < chars.count, !name.isEmpty else { return nil }
            j += 1
            return (name, [], j)
        }
        if chars[j] == "#" || chars[j] == "?" { return (String(chars[j]), [], j + 1) }
        if chars[j].isASCII, chars[j].isNumber {
            while j < chars.count, chars[j].isASCII, chars[j].isNumber {
                name.append(chars[j])
                j += 1
            }
            return (name, [], j)
        }
        guard chars[j] == "_" || (chars[j].isASCII && chars[j].isLetter) else { return nil }
        while j < chars.count, Self.isNameChar(chars[j]) {
            name.append(chars[j])
            j += 1
        }
        let (path, after) = try pathSteps(from: j)
        return (name, path, after)
    }

    /// The steps written after a variable's name from `start` (`.key`, `.0`, `[0]`, `["a key"]`)
    /// and the offset after them.
    func pathSteps(from start: Int) throws(ExpressionError) -> ([Expression.PathStep], Int) {
        var j = start
        var path: [Expression.PathStep] = []
        while j < chars.count {
            if chars[j] == ".", j + 1 < chars.count, Self.isNameChar(chars[j + 1]) {
                j += 1
                var key = ""
                while j < chars.count, Self.isNameChar(chars[j]) {
                    key.append(chars[j])
                    j += 1
                }
                // An index too large for an Int is a key no list has: missing.
                path.append(
                    key.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(key).map { .index($0) } ?? .key(key) : .key(key)
                )
            } else if chars[j] == "[" {
                let (step, after) = try bracketStep(at: j)
                path.append(step)
                j = after
            } else {
                break
            }
        }
        return (path, j)
    }

    /// `[0]` or `["a key"]` (`'a key'`) at `j`: the step and the offset after its `]`.
    func bracketStep(at j: Int) throws(ExpressionError) -> (Expression.PathStep, Int) {
        var k = j + 1
        if k < chars.count, chars[k] == "\"" || chars[k] == "'" {
            let quote = chars[k]
            k += 1
            var key = ""
            while k < chars.count, chars[k] != quote {
                key.append(chars[k])
                k += 1
            }
            guard k + 1 < chars.count, chars[k + 1] == "]" else {
                throw ExpressionError("'[' is not closed with ']'", offset: j)
            }
            return (Expression.PathStep.key(key), k + 2)
        }
        var digits = ""
        while k < chars.count, chars[k].isASCII, chars[k].isNumber {
            digits.append(chars[k])
            k += 1
        }
        guard !digits.isEmpty else {
            throw ExpressionError(
                "an index is a whole number ≥ 0 or a quoted key: [0], [\"No Answer\"]", offset: j,
                length: 2)
        }
        guard k < chars.count, chars[k] == "]" else {
            throw ExpressionError("'[' is not closed with ']'", offset: j)
        }
        let step: Expression.PathStep = Int(digits).map { .index($0) } ?? .key(digits)
        return (step, k + 1)
    }
}
