import Foundation
import SimotelKit

/// An expression of the check language (`expect EXPR`, `if EXPR`, `set NAME = EXPR`): typed
/// JSON values, `$variables` with paths, comparisons, `and`/`or`/`not`, `contains`,
/// `matches "regex"`, `exists`, `length`/`count`, parentheses and literals.
/// Offsets are character offsets in the expression's text, for carets under a failure.
public struct Expression: Sendable {
    public indirect enum Node: Sendable {
        case literal(JSONValue)
        case list([Expression])
        /// `$response.data[0].number`: a name and the steps into its value.
        case variable(name: String, path: [PathStep])
        /// `"calls of $user"`: text with variables.
        case text([TextPart])
        case not(Expression)
        case exists(Expression)
        case length(Expression)
        case binary(BinaryOperator, Expression, Expression)
    }

    public enum PathStep: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public enum TextPart: Sendable {
        case literal(String)
        case variable(name: String, path: [PathStep])
    }

    public enum BinaryOperator: String, Sendable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case contains
        case matches
        case and
        case or
    }

    public var node: Node
    /// Where it is in the expression's text.
    public var range: Range<Int>
    /// The text it was parsed from (the whole expression's).
    public var source: String

    /// Its own text (`$response.status == 404`).
    public var text: String {
        let chars = Array(source)
        return String(chars[max(0, range.lowerBound)..<min(chars.count, range.upperBound)])
    }
}

extension Expression {
    /// Checks what can be checked before running: regular expressions written as text compile.
    func checkLiterals() throws(ExpressionError) {
        switch node {
        case .binary(let op, let l, let r):
            try l.checkLiterals()
            try r.checkLiterals()
            if op == .matches, case .literal(.string(let pattern)) = r.node, !pattern.isEmpty {
                // Only a pattern ICU refuses is an error here; ICU missing is said where it matches.
                do { _ = try BoundedRegex.compiled(pattern) } catch .invalid {
                    throw ExpressionError(
                        "not a valid regular expression: \(pattern)", offset: r.range.lowerBound, length: r.range.count)
                } catch {}
            }
        case .not(let e), .exists(let e), .length(let e): try e.checkLiterals()
        case .list(let items): for item in items { try item.checkLiterals() }
        case .literal, .variable, .text: break
        }
    }
}

/// A mistake in an expression: what and at which offset.
public struct ExpressionError: Error, Sendable {
    public var message: String
    public var offset: Int
    public var length: Int
    /// The evaluation stopped because its task was cancelled (Ctrl-C, a deadline past): the
    /// interpreter ends as interrupted rather than reporting a mistake in the expression.
    public var isCancellation = false

    public init(_ message: String, offset: Int, length: Int = 1) {
        self.message = message
        self.offset = offset
        self.length = max(1, length)
    }
}

extension Expression {
    /// Parses a whole expression; anything left over is an error.
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var parser = ExpressionParser(text)
        let e = try parser.expression()
        if let extra = parser.peek() {
            throw ExpressionError(parser.unexpected(extra), offset: extra.range.lowerBound, length: extra.range.count)
        }
        return e
    }
}

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

struct ExpressionParser {
    let chars: [Character]
    let source: String
    var tokens: [ExpressionToken] = []
    var position = 0
    var tokenError: ExpressionError?

    static let keywords: Set<String> = [
        "and", "or", "not", "contains", "matches", "exists", "length", "count", "true", "false", "null",
    ]

    /// Bounds that keep parsing and evaluation well inside a thread's stack, whatever is typed.
    static let maxTokens = 1000
    static let maxDepth = 64
    var depth = 0

    init(_ text: String) {
        source = text
        chars = Array(text)
        do {
            tokens = try tokenize()
            if tokens.count > Self.maxTokens {
                let t = tokens[Self.maxTokens]
                tokenError = ExpressionError(
                    "expression too long (more than \(Self.maxTokens) parts): split it with set NAME = …",
                    offset: t.range.lowerBound, length: t.range.count)
            }
        } catch {
            tokenError = error
        }
    }

    /// Counts one level of nesting (parentheses, lists, `not`, `length`), failing past `maxDepth`.
    mutating func nest(_ at: Int) throws(ExpressionError) {
        depth += 1
        if depth > Self.maxDepth {
            throw ExpressionError("expression nested too deep (more than \(Self.maxDepth) levels)", offset: at)
        }
    }

    func peek(_ offset: Int = 0) -> ExpressionToken? {
        position + offset < tokens.count ? tokens[position + offset] : nil
    }

    mutating func next() -> ExpressionToken? {
        defer { position += 1 }
        return peek()
    }

    func unexpected(_ token: ExpressionToken) -> String {
        let text = String(chars[token.range])
        if case .word(let w) = token.kind, !Self.keywords.contains(w) {
            return "unknown word '\(text)' in an expression (text goes in quotes: \"\(text)\")"
        }
        return "unexpected '\(text)' in an expression"
    }

    func end() -> Int { tokens.last?.range.upperBound ?? 0 }

    func make(_ node: Expression.Node, _ range: Range<Int>) -> Expression {
        Expression(node: node, range: range, source: source)
    }

    // MARK: grammar (loosest first)

    mutating func expression() throws(ExpressionError) -> Expression {
        if let tokenError { throw tokenError }
        guard peek() != nil else { throw ExpressionError("missing expression", offset: 0) }
        return try or()
    }

    mutating func isWord(_ w: String) -> Bool {
        if case .word(w)? = peek()?.kind { return true }
        return false
    }

    mutating func isSymbol(_ s: String) -> Bool {
        if case .symbol(s)? = peek()?.kind { return true }
        return false
    }

    mutating func or() throws(ExpressionError) -> Expression {
        var left = try and()
        while isWord("or") {
            _ = next()
            let right = try and()
            left = make(.binary(.or, left, right), left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    mutating func and() throws(ExpressionError) -> Expression {
        var left = try not()
        while isWord("and") {
            _ = next()
            let right = try not()
            left = make(.binary(.and, left, right), left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    mutating func not() throws(ExpressionError) -> Expression {
        if isWord("not"), let t = next() {
            try nest(t.range.lowerBound)
            defer { depth -= 1 }
            let inner = try not()
            return make(.not(inner), t.range.lowerBound..<inner.range.upperBound)
        }
        return try comparison()
    }

    mutating func comparison() throws(ExpressionError) -> Expression {
        let left = try prefixed()
        if isWord("exists"), let t = next() {
            return make(.exists(left), left.range.lowerBound..<t.range.upperBound)
        }
        guard let t = peek() else { return left }
        let op: Expression.BinaryOperator?
        switch t.kind {
        case .symbol(let s): op = Expression.BinaryOperator(rawValue: s)
        case .word("contains"): op = .contains
        case .word("matches"): op = .matches
        default: op = nil
        }
        guard let op else { return left }
        _ = next()
        guard peek() != nil else {
            throw ExpressionError(
                "'\(op.rawValue)' needs a value after it", offset: t.range.lowerBound, length: t.range.count)
        }
        let right = try prefixed()
        if let more = peek(), case .symbol(let s) = more.kind, Expression.BinaryOperator(rawValue: s) != nil {
            throw ExpressionError(
                "comparisons do not chain: use 'and' between them", offset: more.range.lowerBound,
                length: more.range.count)
        }
        return make(.binary(op, left, right), left.range.lowerBound..<right.range.upperBound)
    }

    mutating func prefixed() throws(ExpressionError) -> Expression {
        if let t = peek(), case .word(let w) = t.kind {
            switch w {
            case "length", "count":
                _ = next()
                try nest(t.range.lowerBound)
                defer { depth -= 1 }
                let inner = try prefixed()
                return make(.length(inner), t.range.lowerBound..<inner.range.upperBound)
            case "exists":
                _ = next()
                try nest(t.range.lowerBound)
                defer { depth -= 1 }
                let inner = try prefixed()
                return make(.exists(inner), t.range.lowerBound..<inner.range.upperBound)
            default: break
            }
        }
        return try primary()
    }

    mutating func primary() throws(ExpressionError) -> Expression {
        guard let t = next() else { throw ExpressionError("the expression ends too soon", offset: end()) }
        switch t.kind {
        case .number(let d): return make(.literal(.number(d)), t.range)
        case .string(let s): return make(.literal(.string(s)), t.range)
        case .template(let parts): return make(.text(parts), t.range)
        case .variable(let name, let path): return make(.variable(name: name, path: path), t.range)
        case .word("true"): return make(.literal(.bool(true)), t.range)
        case .word("false"): return make(.literal(.bool(false)), t.range)
        case .word("null"): return make(.literal(.null), t.range)
        case .symbol("("):
            try nest(t.range.lowerBound)
            defer { depth -= 1 }
            let inner = try or()
            guard isSymbol(")"), let close = next() else {
                throw ExpressionError("'(' is not closed with ')'", offset: t.range.lowerBound)
            }
            var e = inner
            e.range = t.range.lowerBound..<close.range.upperBound
            return e
        case .symbol("["):
            try nest(t.range.lowerBound)
            defer { depth -= 1 }
            var items: [Expression] = []
            if isSymbol("]"), let close = next() { return make(.list([]), t.range.lowerBound..<close.range.upperBound) }
            while true {
                items.append(try or())
                if isSymbol(","), next() != nil { continue }
                guard isSymbol("]"), let close = next() else {
                    throw ExpressionError("'[' is not closed with ']'", offset: t.range.lowerBound)
                }
                return make(.list(items), t.range.lowerBound..<close.range.upperBound)
            }
        default:
            throw ExpressionError(unexpected(t), offset: t.range.lowerBound, length: t.range.count)
        }
    }

    // MARK: tokens

    func tokenize() throws(ExpressionError) -> [ExpressionToken] {
        var out: [ExpressionToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" {
                i += 1
                continue
            }
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "\n" {  // a continued line
                i += 2
                continue
            }
            if c.isASCII && c.isNumber
                || (c == "-" && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber)
            {
                i += 1
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
                out.append(ExpressionToken(kind: .number(d), range: start..<i))
                continue
            }
            if c == "'" {
                i += 1
                var s = ""
                while i < chars.count, chars[i] != "'" {
                    s.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw ExpressionError("unterminated single quote", offset: start) }
                i += 1
                out.append(ExpressionToken(kind: .string(s), range: start..<i))
                continue
            }
            if c == "\"" {
                i += 1
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
                    out.append(ExpressionToken(kind: .string(only), range: start..<i))
                } else {
                    out.append(ExpressionToken(kind: .template(parts), range: start..<i))
                }
                continue
            }
            if c == "$" {
                guard let (name, path, after) = try variable(at: i) else {
                    throw ExpressionError("'$' must start a variable ($NAME, $response.status)", offset: i)
                }
                out.append(ExpressionToken(kind: .variable(name, path), range: start..<after))
                i = after
                continue
            }
            if c.isLetter || c == "_" {
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                out.append(ExpressionToken(kind: .word(String(chars[start..<i]).lowercased()), range: start..<i))
                continue
            }
            let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
            if ["==", "!=", "<=", ">="].contains(two) {
                out.append(ExpressionToken(kind: .symbol(two), range: start..<(i + 2)))
                i += 2
                continue
            }
            if "<>()[],".contains(c) {
                out.append(ExpressionToken(kind: .symbol(String(c)), range: start..<(i + 1)))
                i += 1
                continue
            }
            if c == "=" {
                throw ExpressionError("'=' compares nothing: use '==' to compare", offset: i)
            }
            throw ExpressionError("unexpected '\(c)' in an expression", offset: i)
        }
        return out
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
                    path.append(.key(key))
                    j = k + 2
                } else {
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
                    path.append(Int(digits).map { .index($0) } ?? .key(digits))
                    j = k + 1
                }
            } else {
                break
            }
        }
        return (name, path, j)
    }
}
