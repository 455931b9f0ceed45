import Foundation
import SimotelKit
import SimshLanguage

/// How statements run: blocks and typed assignments (the check language), and the expressions they evaluate.
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
            try assign(name, expression, in: command)
        case .conditional(let branches):
            try await runConditional(branches, retrying: retrying)
        case .repeatBlock(let header, let count, let body):
            try await runRepeat(header, count: count, body: body, retrying: retrying)
        case .retryBlock(let header, let count, let every, let body):
            try await runRetry(header, count: count, every: every, body: body)
        }
    }

    /// `set NAME = EXPRESSION`: NAME holds the typed value (a text variable NAME is removed).
    func assign(_ name: String, _ expression: Expression, in command: ParsedCommand) throws {
        let value = try evaluate(expression, in: command, offset: command.text(fromWord: 3).offset)
        guard let value else {
            throw located(ExpressionError("\(expression.text) is missing", offset: 0), command, 3)
        }
        session.setValue(name, value)
        session.setVariable("?", "0")
    }

    /// `if … elif … else … end`: runs the first branch whose condition holds.
    nonisolated(nonsending) func runConditional(_ branches: [Statement.Branch], retrying: Bool) async throws {
        for branch in branches {
            if let condition = branch.condition {
                let offset = branch.header.text(fromWord: 1).offset
                let what = branch.header.keyword ?? Keyword.if
                guard try boolean(condition, in: branch.header, offset: offset, for: what) else { continue }
            }
            try await run(branch.body, retrying: retrying)
            return
        }
    }

    /// `repeat N … end`: runs the body N times.
    nonisolated(nonsending) func runRepeat(
        _ header: ParsedCommand, count: Expression, body: [Statement], retrying: Bool
    ) async throws {
        let n = try self.count(count, in: header)
        for i in 0..<n {
            try Task.checkCancellation()
            // A long loop lets other work of the process run now and then (a rule's script
            // beside the listener, the shell's own timers): Swift's task pool has a thread per core.
            if i & 63 == 63 { await Task.yield() }
            try await run(body, retrying: retrying)
        }
    }

    /// `retry N every DURATION … end`: runs the body until its checks pass, N runs at most.
    nonisolated(nonsending) func runRetry(
        _ header: ParsedCommand, count: Expression, every: Word, body: [Statement]
    ) async throws {
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
}
