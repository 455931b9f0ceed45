import SimotelKit

/// Groups commands into statements: `if`/`elif`/`else`/`end`, `repeat … end`,
/// `retry … every … end`, and reads the expressions of `expect`, `if` and `set NAME =`.
package enum StatementParser {
    static let ifWord = Keyword.if
    static let repeatWord = Keyword.repeat
    static let retryWord = Keyword.retry
    static let expectWord = Keyword.expect
    static let setWord = Keyword.set
    static let elifWord = Keyword.elif
    static let elseWord = Keyword.else
    static let endWord = Keyword.end
    static let everyWord = Keyword.every

    /// Why a script's blocks are not complete (an `if` without `end`): more lines may complete it.
    package struct Unclosed: Error {
        package var error: SimshError
    }

    package static func parse(_ commands: [ParsedCommand]) throws -> [Statement] {
        var index = 0
        let body = try block(commands, &index, closers: [])
        if index < commands.count {
            let c = commands[index]
            throw SimshError.usage("'\(c.keyword ?? "")' without a block to close", at: c.location)
        }
        return body
    }

    /// How deep blocks may nest (running them recurses).
    static let maxDepth = 64

    /// Statements up to (not including) a command whose keyword is one of `closers`.
    static func block(
        _ commands: [ParsedCommand], _ index: inout Int, closers: Set<String>, depth: Int = 0
    ) throws -> [Statement] {
        if depth > maxDepth, index > 0 {
            throw SimshError.usage("blocks nested more than \(maxDepth) deep", at: commands[index - 1].location)
        }
        var out: [Statement] = []
        while index < commands.count {
            let c = commands[index]
            let keyword = c.keyword ?? ""
            if closers.contains(keyword) {
                try checkExpectFail(out)
                return out
            }
            // `expect --help` is help, not a check.
            if c.words.count == 2, let second = c.words[1].literalText, second == "--help" || second == "-h" {
                index += 1
                out.append(.command(c))
                continue
            }
            out.append(try statement(commands, &index, depth: depth))
        }
        try checkExpectFail(out)
        return out
    }

    /// The statement that starts at `index` (a whole block through its `end`), `index` moved past it.
    static func statement(_ commands: [ParsedCommand], _ index: inout Int, depth: Int) throws -> Statement {
        let c = commands[index]
        let keyword = c.keyword ?? ""
        switch keyword {
        case elifWord, elseWord, endWord:
            throw SimshError.usage("'\(keyword)' without a block to close", at: c.location)
        case ifWord:
            return try conditional(commands, &index, depth: depth + 1)
        case repeatWord:
            return try repeatStatement(commands, &index, depth: depth)
        case retryWord:
            return try retryStatement(commands, &index, depth: depth)
        case expectWord:
            index += 1
            return .expect(c, try expectForm(c))
        case setWord where c.words.count >= 3 && c.words[2].literalText == "=":
            index += 1
            return try assignment(c)
        default:
            index += 1
            return .command(c)
        }
    }

    /// `repeat N … end`: the count checked and the body read through its `end`.
    static func repeatStatement(_ commands: [ParsedCommand], _ index: inout Int, depth: Int) throws -> Statement {
        let c = commands[index]
        index += 1
        let count = try expression(c, from: 1, what: "repeat needs a count: repeat N … end")
        try checkCount(count.0, in: c, least: 0)
        let body = try block(commands, &index, closers: [endWord], depth: depth + 1)
        try close(commands, &index, opened: c)
        return .repeatBlock(c, count: count.0, body: body)
    }

    /// `retry N every DURATION … end`: the count and the pause checked and the body read through its `end`.
    static func retryStatement(_ commands: [ParsedCommand], _ index: inout Int, depth: Int) throws -> Statement {
        let c = commands[index]
        index += 1
        guard let every = c.words.firstIndex(where: { $0.literalText == everyWord }), every > 1,
            every == c.words.count - 2
        else {
            throw SimshError.usage(
                "retry needs a count and a pause: retry N every DURATION … end", at: c.location)
        }
        var header = c
        header.words = Array(c.words[..<every])
        header.span = c.span.lowerBound..<c.words[every - 1].sourceRange.upperBound
        let count = try expression(header, from: 1, what: "retry needs a count: retry N every DURATION … end")
        try checkCount(count.0, in: header, least: 1)
        let pause = c.words[every + 1]
        if let text = pause.literalText, DurationParser.seconds(text) == nil {
            throw SimshError.usage("'\(text)' is not a duration (5s, 500ms, 1m)", at: pause.location)
        }
        let body = try block(commands, &index, closers: [endWord], depth: depth + 1)
        try close(commands, &index, opened: c)
        return .retryBlock(c, count: count.0, every: pause, body: body)
    }

    /// `set NAME = EXPR`: the name checked (plain, not reserved) and the expression read.
    static func assignment(_ c: ParsedCommand) throws -> Statement {
        guard let name = c.words[1].literalText, VariableName.isPlain(name) else {
            throw SimshError.usage("set NAME = EXPR needs a variable name", at: c.words[1].location)
        }
        do {
            try VariableName.refuseReserved(name)
        } catch var e as SimshError {
            e.location = c.words[1].location
            throw e
        }
        let (value, _) = try expression(c, from: 3, what: "set \(name) = needs an expression")
        return .assign(c, name: name, value)
    }

    /// `expect fail` is about the next command of its own block: not a block, a check or nothing.
    static func checkExpectFail(_ statements: [Statement]) throws {
        for (i, s) in statements.enumerated() {
            guard case .expect(let c, .fail) = s else { continue }
            guard i + 1 < statements.count, case .command = statements[i + 1] else {
                throw SimshError.usage("expect fail must be followed by a command in the same block", at: c.location)
            }
        }
    }

    static func conditional(_ commands: [ParsedCommand], _ index: inout Int, depth: Int) throws -> Statement {
        let opened = commands[index]
        var branches: [Statement.Branch] = []
        var header = opened
        var condition: Expression? = try expression(header, from: 1, what: "if needs a condition: if EXPR … end").0
        index += 1
        while true {
            let body = try block(commands, &index, closers: [elifWord, elseWord, endWord], depth: depth)
            branches.append(Statement.Branch(header: header, condition: condition, body: body))
            guard index < commands.count else {
                throw Unclosed(
                    error: SimshError.usage(
                        "'if' at line \(opened.location.line) is not closed with 'end'", at: opened.location))
            }
            let next = commands[index]
            switch next.keyword {
            case elifWord:
                if condition == nil {
                    throw SimshError.usage("'elif' after 'else'", at: next.location)
                }
                header = next
                condition = try expression(next, from: 1, what: "elif needs a condition: elif EXPR").0
                index += 1
            case elseWord:
                if condition == nil { throw SimshError.usage("a second 'else'", at: next.location) }
                guard next.words.count == 1 else {
                    throw SimshError.usage(
                        "'else' takes nothing after it (elif EXPR for a condition)", at: next.location)
                }
                header = next
                condition = nil
                index += 1
            default:
                try close(commands, &index, opened: opened)
                return .conditional(branches)
            }
        }
    }

    /// Consumes the `end` of a block opened by `opened`.
    static func close(_ commands: [ParsedCommand], _ index: inout Int, opened: ParsedCommand) throws {
        guard index < commands.count, commands[index].keyword == endWord else {
            throw Unclosed(
                error: SimshError.usage(
                    "'\(opened.keyword ?? "")' at line \(opened.location.line) is not closed with 'end'",
                    at: opened.location))
        }
        if commands[index].words.count > 1 {
            throw SimshError.usage("'end' takes nothing after it", at: commands[index].words[1].location)
        }
        index += 1
    }

    /// The expression written from word `from` on, parsed and checked as far as it can be
    /// before running (a regular expression written in it must compile); errors point into it.
    static func expression(_ c: ParsedCommand, from: Int, what: String) throws -> (Expression, Int) {
        guard from < c.words.count else { throw SimshError.usage(what, at: c.location) }
        let (text, offset) = c.text(fromWord: from)
        do {
            let e = try Expression.parse(text)
            try e.checkLiterals()
            return (e, offset)
        } catch {
            throw located(error, in: c, offset: offset)
        }
    }

    /// A count written as a number must be a whole number ≥ 0 (1 or more for `retry`).
    static func checkCount(_ e: Expression, in c: ParsedCommand, least: Int) throws {
        guard case .literal(let v) = e.node else { return }
        guard case .number(let d) = v, d >= Double(least), d == d.rounded(), d <= 1e9 else {
            throw located(
                ExpressionError(
                    "\(c.keyword ?? "") needs a whole number from \(least) to 1000000000, not \(e.text)",
                    offset: e.range.lowerBound, length: e.range.count), in: c, offset: c.text(fromWord: 1).offset)
        }
    }

    /// An expression error as a located usage error with the line and a caret.
    package static func located(_ error: ExpressionError, in c: ParsedCommand, offset: Int) -> SimshError {
        var e = SimshError.usage(error.message, at: c.location(atOffset: offset + error.offset))
        e.snippet = c.snippet(offset: offset + error.offset, length: error.length)
        return e
    }

    static func expectForm(_ c: ParsedCommand) throws -> Statement.ExpectForm {
        let usage =
            "expect EXPR | success | status N | fail [STATUS] | event NAME [--where F=V]… within DURATION"
            + " | call ID reaches EVENT … within DURATION | events NAME -> NAME … for ID within DURATION"
        guard c.words.count >= 2 else {
            throw SimshError.usage("expect needs something to check: \(usage)", at: c.location)
        }
        switch c.words[1].literalText {
        case "success":
            guard c.words.count == 2 else {
                throw SimshError.usage("expect success takes nothing after it", at: c.words[2].location)
            }
            return .success
        case "status":
            guard c.words.count == 3 else {
                throw SimshError.usage("expect status needs one HTTP status: expect status 200", at: c.location)
            }
            if let text = c.words[2].literalText, !(Int(text).map { (100...599).contains($0) } ?? false) {
                throw SimshError.usage(
                    "expect status needs an HTTP status (100–599), not '\(text)'", at: c.words[2].location)
            }
            return .status(c.words[2])
        case "fail":
            guard c.words.count <= 3 else {
                throw SimshError.usage("expect fail takes at most a status: expect fail [STATUS]", at: c.location)
            }
            if c.words.count == 3, let text = c.words[2].literalText,
                !(Int(text).map { (1...4).contains($0) || (100...599).contains($0) } ?? false)
            {
                throw SimshError.usage(
                    "expect fail takes an exit status (1–4) or an HTTP status (100–599), not '\(text)'",
                    at: c.words[2].location)
            }
            return .fail(c.words.count == 3 ? c.words[2] : nil)
        case "event":
            let rest = Array(c.words.dropFirst(2))
            guard rest.count >= 3, rest[rest.count - 2].literalText == "within" else {
                throw SimshError.usage("expect event NAME [--where F=V]… within DURATION", at: c.location)
            }
            if let text = rest.last?.literalText, DurationParser.seconds(text) == nil {
                throw SimshError.usage(
                    "'\(text)' is not a duration (5s, 500ms, 1m; at most a year)", at: rest.last!.location)
            }
            return .event(rest)
        case Keyword.call:
            return try callForm(c)
        case Keyword.events:
            return try sequenceForm(c)
        default:
            break
        }
        let (e, offset) = try expression(c, from: 1, what: usage)
        return .expression(e, offset: offset)
    }
}
