import Foundation
import SimotelKit
import SimshLanguage

/// How checks run: `expect` in its forms, and the failures they report.
extension Interpreter {
    /// `expect fail` with nothing after it at the end of a script.
    func checkNoPendingFail() throws {
        guard let pending = pendingFail else { return }
        pendingFail = nil
        throw SimshError.usage("expect fail must be followed by a command", at: pending.at.location)
    }

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
                throw SimshError.usage(
                    "expect status needs an HTTP status (100–599), not '\(text)'", at: word.location)
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
        case .call, .sequence:
            try await checkCall(command, form)
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
            throw failedWait(check, e, command)
        }
    }
}
