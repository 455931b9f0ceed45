import Foundation
import SimotelKit
import SimshLanguage

/// How statements run: blocks, checks and typed assignments (the check language).
extension Interpreter {
    /// Lexes and groups a script; a syntax error anywhere is thrown before anything runs.
    static func statements(_ text: String, file: String, firstLine: Int = 1) throws -> [Statement] {
        let commands: [ParsedCommand]
        do {
            commands = try Lexer.parse(text, file: file, firstLine: firstLine)
        } catch {
            throw error.error
        }
        do {
            return try StatementParser.parse(commands)
        } catch let open as StatementParser.Unclosed {
            throw open.error
        }
    }

    /// True when more lines could complete the text: an open quote, a trailing `\`, a block
    /// without its `end` (the shell then shows its continuation prompt).
    public static func needsMoreInput(_ text: String) -> Bool {
        do {
            _ = try StatementParser.parse(try Lexer.parse(text, file: "-"))
            return false
        } catch let e as Lexer.Failure {
            return e.needsMoreInput
        } catch is StatementParser.Unclosed {
            return true
        } catch {
            return false
        }
    }

    /// Runs statements in order. With `--continue-on-error`, a failure is reported and the next
    /// statement runs (not inside `retry`, whose block must see its failures).
    nonisolated(nonsending) func run(_ statements: [Statement], retrying: Bool = false) async throws {
        for statement in statements {
            try Task.checkCancellation()
            do {
                try await run(statement, retrying: retrying)
            } catch let e as SimshError where continueOnError && !retrying {
                report(e, fallbackLocation: statement.location)
                if firstFailure == nil { firstFailure = e.exitStatus }
            }
        }
    }

    nonisolated(nonsending) func run(_ statement: Statement, retrying: Bool) async throws {
        do {
            try await runLocated(statement, retrying: retrying)
        } catch var e as SimshError {
            if e.location == nil { e.location = statement.location }
            throw e
        }
    }

    nonisolated(nonsending) func runLocated(_ statement: Statement, retrying: Bool) async throws {
        if let pending = pendingFail {
            guard case .command(let command) = statement else {
                pendingFail = nil
                throw SimshError.usage("expect fail must be followed by a command", at: pending.at.location)
            }
            pendingFail = nil
            try await runExpectingFailure(command, pending)
            return
        }
        switch statement {
        case .command(let command):
            try await runCommand(command)
        case .expect(let command, let form):
            try await check(command, form)
            session.setVariable("?", "0")
        case .assign(let command, let name, let expression):
            let value = try evaluate(expression, in: command, offset: command.text(fromWord: 3).offset)
            guard let value else {
                throw located(ExpressionError("\(expression.text) is missing", offset: 0), command, 3)
            }
            session.setValue(name, value)
            session.setVariable(name, nil)
            session.setVariable("?", "0")
        case .conditional(let branches):
            for branch in branches {
                if let condition = branch.condition {
                    let offset = branch.header.text(fromWord: 1).offset
                    let what = branch.header.keyword ?? Keyword.if
                    guard try boolean(condition, in: branch.header, offset: offset, for: what) else { continue }
                }
                try await run(branch.body, retrying: retrying)
                return
            }
        case .repeatBlock(let header, let count, let body):
            let n = try self.count(count, in: header)
            for i in 0..<n {
                try Task.checkCancellation()
                // A long loop lets other work of the process run now and then (a rule's script
                // beside the listener, the shell's own timers): Swift's task pool has a thread per core.
                if i & 63 == 63 { await Task.yield() }
                try await run(body, retrying: retrying)
            }
        case .retryBlock(let header, let count, let every, let body):
            let n = try self.count(count, in: header)
            guard n >= 1 else {
                throw SimshError.usage("retry needs a count of 1 or more (runs in all)", at: header.location)
            }
            let text = try every.expanded(lookup: session.lookup)
            guard let pause = DurationParser.seconds(text) else {
                throw SimshError.usage("'\(text)' is not a duration (5s, 500ms, 1m)", at: every.location)
            }
            var attempt = 1
            while true {
                try Task.checkCancellation()
                do {
                    try await run(body, retrying: true)
                    return
                } catch let e as SimshError where e.kind == .expectation && attempt < n {
                    attempt += 1
                    try await Task.sleep(nanoseconds: UInt64(pause * 1e9))
                }
            }
        }
    }

    /// `expect fail` with nothing after it at the end of a script.
    func checkNoPendingFail() throws {
        guard let pending = pendingFail else { return }
        pendingFail = nil
        throw SimshError.usage("expect fail must be followed by a command", at: pending.at.location)
    }

    // MARK: expressions

    var evaluator: ExpressionEvaluator {
        ExpressionEvaluator { [session] name in session.value(named: name) }
    }

    func located(_ error: ExpressionError, _ command: ParsedCommand, _ word: Int) -> SimshError {
        StatementParser.located(error, in: command, offset: command.text(fromWord: word).offset)
    }

    func evaluate(_ e: Expression, in command: ParsedCommand, offset: Int) throws -> JSONValue? {
        do {
            return try evaluator.evaluate(e)
        } catch {
            throw Self.thrown(error, in: command, offset: offset)
        }
    }

    func boolean(_ e: Expression, in command: ParsedCommand, offset: Int, for what: String) throws -> Bool {
        do {
            return try evaluator.boolean(e, for: what)
        } catch {
            throw Self.thrown(error, in: command, offset: offset)
        }
    }

    /// What an expression's error becomes: located, or an interruption when the evaluation was
    /// stopped by its task's cancellation (a regular expression's match stopped by Ctrl-C).
    static func thrown(_ error: ExpressionError, in command: ParsedCommand, offset: Int) -> Error {
        if error.isCancellation { return CancellationError() }
        return StatementParser.located(error, in: command, offset: offset)
    }

    /// A block's count: a whole number ≥ 0.
    func count(_ e: Expression, in header: ParsedCommand) throws -> Int {
        let offset = header.text(fromWord: 1).offset
        let value = try evaluate(e, in: header, offset: offset)
        let number: Double?
        switch value {
        case .number(let d)?: number = d
        case .string(let s)?: number = Double(s)
        default: number = nil
        }
        guard let number, number >= 0, number == number.rounded(), number <= 1e9 else {
            let found = ExpressionEvaluator.render(value)
            let shown = e.text == found ? found : "\(e.text) is \(found)"
            throw StatementParser.located(
                ExpressionError(
                    "\(header.keyword ?? "") needs a whole number from 0 to 1000000000, not \(shown)",
                    offset: e.range.lowerBound, length: e.range.count), in: header, offset: offset)
        }
        return Int(number)
    }

    // MARK: expect

    func check(_ command: ParsedCommand, _ form: Statement.ExpectForm) async throws {
        switch form {
        case .expression(let e, let offset):
            guard try boolean(e, in: command, offset: offset, for: Keyword.expect) else {
                // The part that failed: in `A and B`, the operand that is false. Evaluated again, so
                // it may fail in its turn (a regular expression past its bound this time).
                let part: Expression
                let found: String
                do {
                    part = try failingPart(e)
                    found = try actual(part)
                } catch let error as ExpressionError {
                    throw Self.thrown(error, in: command, offset: offset)
                }
                throw failed(
                    part.text, actual: found, command, offset: offset + part.range.lowerBound, length: part.range.count)
            }
        case .success:
            guard let response = session.responseValue else {
                throw failed("success", actual: "no answer yet", command, word: 1)
            }
            let success = response["success"]
            guard let success, ExpressionEvaluator.looselyEqual(success, .number(1)) else {
                let message = response["message"]?.displayText ?? ""
                let actual = ExpressionEvaluator.render(success) + (message.isEmpty ? "" : ", message \"\(message)\"")
                throw failed("success", actual: actual, command, word: 1)
            }
        case .status(let word):
            let text = try word.expanded(lookup: session.lookup)
            guard let wanted = Int(text), (100...599).contains(wanted) else {
                throw SimshError.usage("expect status needs an HTTP status (100–599), not '\(text)'", at: word.location)
            }
            guard let response = session.responseValue else {
                throw failed("status \(wanted)", actual: "no answer yet", command, word: 1)
            }
            guard let status = response["status"], ExpressionEvaluator.looselyEqual(status, .number(Double(wanted)))
            else {
                throw failed(
                    "status \(wanted)", actual: ExpressionEvaluator.render(response["status"]), command, word: 1)
            }
        case .fail(let status):
            if let status {
                let text = try status.expanded(lookup: session.lookup)
                guard let n = Int(text), (1...4).contains(n) || (100...599).contains(n) else {
                    throw SimshError.usage(
                        "expect fail takes an exit status (1–4) or an HTTP status (100–599), not '\(text)'",
                        at: status.location)
                }
            }
            pendingFail = (status, command)
        case .event(let words):
            try await expectEvent(command, words)
        }
    }

    /// `file:line:col: expect failed: CHECK (actual: VALUE)` with the line and a caret.
    func failed(_ check: String, actual: String, _ command: ParsedCommand, offset: Int, length: Int) -> SimshError {
        var e = SimshError(
            .expectation, "expect failed: \(Self.shortened(check)) (actual: \(Self.shortened(actual)))",
            at: command.location(atOffset: offset))
        e.snippet = command.snippet(offset: offset, length: length)
        e.labeled = false
        return e
    }

    func failed(_ check: String, actual: String, _ command: ParsedCommand, word: Int) -> SimshError {
        let offset = command.text(fromWord: word).offset
        let length = command.raw.count - offset
        return failed(check, actual: actual, command, offset: offset, length: length)
    }

    /// A long text cut for a one-line message.
    static func shortened(_ text: String, limit: Int = 200) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// The part of a false expression that made it false: in `A and B` the false operand (and
    /// so on down), else the expression itself.
    func failingPart(_ e: Expression) throws -> Expression {
        guard case .binary(.and, let l, let r) = e.node else { return e }
        return try evaluator.boolean(l, for: "and") ? try failingPart(r) : try failingPart(l)
    }

    /// What a failed check found: the left side of a comparison, the part of `and`/`or` that
    /// failed, else the value itself.
    func actual(_ e: Expression) throws -> String {
        let evaluator = self.evaluator
        switch e.node {
        case .binary(.and, let l, let r):
            return try evaluator.boolean(l, for: "and") ? try actual(r) : try actual(l)
        case .binary(.or, let l, _):
            return try actual(l)
        case .binary(_, let l, _), .exists(let l), .not(let l):
            return ExpressionEvaluator.render(try evaluator.evaluate(l))
        default:
            return ExpressionEvaluator.render(try evaluator.evaluate(e))
        }
    }

    /// Runs the command an `expect fail` is about: its failure is the expected outcome.
    func runExpectingFailure(_ command: ParsedCommand, _ pending: (status: Word?, at: ParsedCommand)) async throws {
        let wanted = try pending.status.flatMap { Int(try $0.expanded(lookup: session.lookup)) }
        let check = "fail" + (wanted.map { " \($0)" } ?? "")
        do {
            try await runCommand(command)
        } catch let e as SimshError {
            guard let wanted else { return }
            if wanted < 100 {
                guard e.exitStatus == wanted else {
                    throw failed(check, actual: "exit status \(e.exitStatus): \(e.message)", pending.at, word: 1)
                }
            } else {
                let status = session.responseValue?["status"]
                guard let status, ExpressionEvaluator.looselyEqual(status, .number(Double(wanted))) else {
                    throw failed(
                        check, actual: "HTTP status \(ExpressionEvaluator.render(status)): \(e.message)", pending.at,
                        word: 1)
                }
            }
            return
        }
        throw failed(check, actual: "`\(command.raw)` succeeded", pending.at, word: 1)
    }

    /// `expect event NAME [--where F=V]… within DURATION`.
    func expectEvent(_ command: ParsedCommand, _ words: [Word]) async throws {
        let texts = try words.map { try $0.expanded(lookup: session.lookup) }
        let name = texts[0]
        guard let seconds = DurationParser.seconds(texts[texts.count - 1]) else {
            throw SimshError.usage(
                "'\(texts[texts.count - 1])' is not a duration (5s, 500ms)", at: words.last!.location)
        }
        var conditions: [FieldCondition] = []
        var i = 1
        while i < texts.count - 2 {
            var text = texts[i]
            if text == "--where", i + 1 < texts.count - 2 {
                i += 1
                text = texts[i]
            } else if text.hasPrefix("--where=") {
                text.removeFirst("--where=".count)
            } else {
                throw SimshError.usage(
                    "expect event: unexpected '\(texts[i])' (--where FIELD=VALUE)", at: words[i].location)
            }
            guard let condition = FieldCondition(text) else {
                throw SimshError.usage("expect event: '\(text)' is not FIELD=VALUE", at: words[i].location)
            }
            conditions.append(condition)
            i += 1
        }
        do {
            let event = try await session.waitForEvent(name, where: conditions, seconds: seconds)
            session.exportEventVariables(event)
        } catch let e as SimshError where e.kind == .expectation {
            let check = command.text(fromWord: 1).text
            throw failed(check, actual: e.message, command, word: 1)
        }
    }
}
