import Foundation
import SimotelKit

/// Evaluates expressions against the session's values. A path that is not in a value is
/// *missing* (nil): `exists` is false for it, comparisons with it are false, and `expect` says
/// `(actual: missing)`. A type error (`length` of a number, `<` between a list and a number,
/// `and` on a non-boolean) is an `ExpressionError`: exit 2 with the place.
public struct ExpressionEvaluator {
    /// A variable's value by name (`response`, `event`, `user`, `1`), nil when it is not set.
    public var lookup: (String) -> JSONValue?

    public init(lookup: @escaping (String) -> JSONValue?) {
        self.lookup = lookup
    }

    public func evaluate(_ e: Expression) throws(ExpressionError) -> JSONValue? {
        switch e.node {
        case .literal(let v):
            return v
        case .list(let items):
            var values: [JSONValue] = []
            for item in items {
                guard let v = try evaluate(item) else { throw missing(item) }
                values.append(v)
            }
            return .array(values)
        case .variable(let name, let path):
            return try variable(name, path, at: e)
        case .text(let parts):
            var s = ""
            for part in parts {
                switch part {
                case .literal(let t): s += t
                case .variable(let name, let path):
                    guard let v = try variable(name, path, at: e) else { throw missing(e) }
                    s += v.displayText
                }
            }
            return .string(s)
        case .not(let inner):
            return .bool(!(try boolean(inner, for: "not")))
        case .exists(let inner):
            // `exists $name` of a variable never set is false, not an error.
            if case .variable(let name, _) = inner.node, lookup(name) == nil { return .bool(false) }
            return .bool(try evaluate(inner) != nil)
        case .length(let inner):
            guard let v = try evaluate(inner) else { throw missing(inner) }
            switch v {
            case .array(let items): return .number(Double(items.count))
            case .object(let pairs): return .number(Double(pairs.count))
            case .string(let s): return .number(Double(s.count))
            default:
                throw ExpressionError(
                    "length needs a list, an object or text; \(inner.text) is \(Self.describe(v))",
                    offset: inner.range.lowerBound, length: inner.range.count)
            }
        case .binary(let op, let left, let right):
            switch op {
            case .and:
                guard try boolean(left, for: "and") else { return .bool(false) }
                return .bool(try boolean(right, for: "and"))
            case .or:
                if try boolean(left, for: "or") { return .bool(true) }
                return .bool(try boolean(right, for: "or"))
            default:
                return .bool(try compare(op, left, right, e))
            }
        }
    }

    /// Evaluates an expression that must be true or false (`expect`, `if`, `and`, ...).
    public func boolean(_ e: Expression, for what: String) throws(ExpressionError) -> Bool {
        let v = try evaluate(e)
        guard case .bool(let b)? = v else {
            let actual = v.map(Self.describe) ?? "missing"
            throw ExpressionError(
                "\(what) needs true or false; \(e.text) is \(actual)", offset: e.range.lowerBound, length: e.range.count
            )
        }
        return b
    }

    func missing(_ e: Expression) -> ExpressionError {
        ExpressionError("\(e.text) is missing", offset: e.range.lowerBound, length: e.range.count)
    }

    func variable(_ name: String, _ path: [Expression.PathStep], at e: Expression) throws(ExpressionError) -> JSONValue?
    {
        guard let root = lookup(name) else {
            // `$response`/`$event` before any answer or event: every path under them is missing.
            if Self.structured.contains(name) { return nil }
            throw ExpressionError("undefined variable $\(name)", offset: e.range.lowerBound, length: e.range.count)
        }
        var v: JSONValue? = root
        for step in path {
            switch (step, v) {
            case (.key(let k), .object(let pairs)?): v = pairs.last { $0.0 == k }?.1
            case (.index(let i), .array(let items)?): v = i >= 0 && i < items.count ? items[i] : nil
            default: v = nil
            }
            if v == nil { return nil }
        }
        return v
    }

    static let structured: Set<String> = ["response", "event", "reply", "walk", "listener"]

    /// The value of a comparison (`==`, `<`, `contains`, `matches`, ...) of `l` and `r`.
    func compare(_ op: Expression.BinaryOperator, _ l: Expression, _ r: Expression, _ whole: Expression)
        throws(ExpressionError) -> Bool
    {
        let a = try evaluate(l)
        let b = try evaluate(r)
        switch op {
        case .equal, .notEqual:
            guard let a, let b else { return op == .notEqual && (a != nil || b != nil) }
            return Self.looselyEqual(a, b) == (op == .equal)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let a, let b else { return false }
            return try compareOrder(op, a, b, whole)
        case .contains:
            guard let a, let b else { return false }
            return try compareContains(a, b, l)
        case .matches:
            return try compareMatches(a, b, l, r, whole)
        case .and, .or:
            return false
        }
    }

    /// `<`, `<=`, `>`, `>=`: numbers (and numbers sent as text) by value, other text as text.
    func compareOrder(_ op: Expression.BinaryOperator, _ a: JSONValue, _ b: JSONValue, _ whole: Expression)
        throws(ExpressionError) -> Bool
    {
        let order: Int
        if let x = Self.number(a, against: b), let y = Self.number(b, against: a) {
            order = x < y ? -1 : (x > y ? 1 : 0)
        } else if case .string(let s) = a, case .string(let t) = b, let x = Self.decimal(s), let y = Self.decimal(t) {
            // Two numbers sent as text (`"10"`, `"9"`) are ordered as numbers.
            order = x < y ? -1 : (x > y ? 1 : 0)
        } else if case .string(let x) = a, case .string(let y) = b {
            order = x < y ? -1 : (x > y ? 1 : 0)
        } else {
            throw ExpressionError(
                "cannot order \(Self.describe(a)) and \(Self.describe(b)) with '\(op.rawValue)'",
                offset: whole.range.lowerBound, length: whole.range.count)
        }
        switch op {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    /// `contains`: text holding text, a list holding a value, an object holding a key.
    func compareContains(_ a: JSONValue, _ b: JSONValue, _ l: Expression) throws(ExpressionError) -> Bool {
        switch a {
        case .null: return false
        case .string(let s):
            let needle = b.displayText
            return needle.isEmpty || s.contains(needle)
        case .array(let items): return items.contains { Self.looselyEqual($0, b) }
        case .object(let pairs): return pairs.contains { $0.0 == b.displayText }
        default:
            throw ExpressionError(
                "contains needs text, a list or an object on its left; \(l.text) is \(Self.describe(a))",
                offset: l.range.lowerBound, length: l.range.count)
        }
    }

    /// `matches`: the text on the left against the regular expression in quotes on the right.
    func compareMatches(_ a: JSONValue?, _ b: JSONValue?, _ l: Expression, _ r: Expression, _ whole: Expression)
        throws(ExpressionError) -> Bool
    {
        guard case .string(let pattern)? = b else {
            throw ExpressionError(
                "matches needs a regular expression in quotes on its right", offset: r.range.lowerBound,
                length: r.range.count)
        }
        guard let a else { return false }
        if pattern.isEmpty { return true }
        let regex: BoundedRegex
        do {
            regex = try BoundedRegex.compiled(pattern)
        } catch .unavailable(let why) {
            throw ExpressionError(
                "regular expressions are not available: \(why)", offset: r.range.lowerBound, length: r.range.count)
        } catch {
            throw ExpressionError(
                "not a valid regular expression: \(pattern)", offset: r.range.lowerBound, length: r.range.count)
        }
        switch a {
        case .object, .array:
            throw ExpressionError(
                "matches needs text on its left; \(l.text) is \(Self.describe(a))", offset: l.range.lowerBound,
                length: l.range.count)
        default:
            do {
                return try regex.firstMatch(in: a.displayText)
            } catch {
                throw Self.matchFailure(error, at: whole)
            }
        }
    }

    /// A match that did not end: past its bound (exit 2, like other evaluation errors), its task
    /// cancelled (an interruption, not an error of the expression), or ICU failing.
    static func matchFailure(_ failure: BoundedRegex.Failure, at e: Expression) -> ExpressionError {
        switch failure {
        case .tooLong(let bound):
            return ExpressionError(
                "the regular expression took longer than \(BoundedRegex.text(bound))", offset: e.range.lowerBound,
                length: e.range.count)
        case .cancelled:
            var error = ExpressionError("interrupted", offset: e.range.lowerBound, length: e.range.count)
            error.isCancellation = true
            return error
        case .invalid(let why), .failed(let why), .unavailable(let why):
            return ExpressionError(
                "the regular expression could not be matched (\(why))", offset: e.range.lowerBound,
                length: e.range.count)
        }
    }

    /// Equality as Simotel's answers need it: `"31" == 31` (a number sent as text), lists and
    /// objects member by member.
    public static func looselyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.number, .string), (.string, .number):
            guard let x = number(a, against: b), let y = number(b, against: a) else { return false }
            return x == y
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { looselyEqual($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count
                && x.allSatisfy { k, v in y.last { $0.0 == k }.map { looselyEqual(v, $0.1) } ?? false }
        default: return a == b
        }
    }

    /// A value as a number: a number, or text holding one when the other side is a number.
    static func number(_ v: JSONValue, against other: JSONValue) -> Double? {
        switch v {
        case .number(let d): return d
        case .string(let s):
            if case .number = other { return decimal(s) }
            return nil
        default: return nil
        }
    }

    /// Text written as a JSON number (`31`, `-2.5`, `1e3`): not `0x1F`, `inf`, ` 31` or `+5`.
    static func decimal(_ s: String) -> Double? {
        var i = s.utf8.startIndex
        let u = s.utf8
        func digits() -> Bool {
            let start = i
            while i < u.endIndex, u[i] >= 48, u[i] <= 57 { i = u.index(after: i) }
            return i != start
        }
        if i < u.endIndex, u[i] == UInt8(ascii: "-") { i = u.index(after: i) }
        guard digits() else { return nil }
        if i < u.endIndex, u[i] == UInt8(ascii: ".") {
            i = u.index(after: i)
            guard digits() else { return nil }
        }
        if i < u.endIndex, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i = u.index(after: i)
            if i < u.endIndex, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i = u.index(after: i) }
            guard digits() else { return nil }
        }
        guard i == u.endIndex, let d = Double(s), d.isFinite else { return nil }
        return d
    }

    /// `a number (200)`, `text ("ok")`, `a list of 3`, ...
    static func describe(_ v: JSONValue) -> String {
        switch v {
        case .number: return "a number (\(render(v)))"
        case .string: return "text (\(render(v)))"
        case .bool: return render(v)
        case .null: return "null"
        case .array(let items): return "a list of \(items.count)"
        case .object: return "an object"
        }
    }

    /// A value as `expect` shows it: JSON, shortened.
    public static func render(_ v: JSONValue?) -> String {
        guard let v else { return "missing" }
        let s = v.serialized()
        return s.count > 200 ? String(s.prefix(199)) + "…" : s
    }
}
