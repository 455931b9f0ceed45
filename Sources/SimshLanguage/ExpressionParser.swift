import Foundation
import SimotelKit

/// Reads an expression's tokens into an `Expression`, loosest operators first (`or`, `and`,
/// `not`, comparisons, `length`/`exists`, values); the tokens are read in ExpressionTokenizer.swift.
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
}
