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
