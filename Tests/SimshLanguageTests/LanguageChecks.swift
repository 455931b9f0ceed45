import Foundation
import SimotelKit
import Testing

@testable import SimshLanguage

/// The language's checks in fish's style (`tests/checks/*.fish`): each file under `Checks/` holds
/// inputs, each followed by what it gives on `#=>` lines. `expressions.check`: one expression per
/// input, against the variables below, giving its value as JSON or `error at COLUMN: message`.
/// `statements.check`: a script (lines up to its `#=>`), giving the outline of its statements or
/// its error as `file:line:col: message`. No process, no session: the language alone.
@Suite struct LanguageChecks {
    static let variables: [String: JSONValue] = [
        "n": .number(5), "s": .string("ANSWERED"), "empty": .string(""), "no": .bool(false), "nothing": .null,
        "list": .array([.number(1), .number(2), .string("three")]),
        "call": .object([("disposition", .string("NO ANSWER")), ("src", .string("09121234567"))]),
    ]

    struct Case {
        var input: [String]
        var expected: [String]
        var line: Int
    }

    static func cases(_ file: String) throws -> [Case] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Checks/" + file
        var cases: [Case] = []
        var input: [String] = []
        var start = 0
        for (i, line) in try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("#=>") {
                let expected = String(line.dropFirst(line.hasPrefix("#=> ") ? 4 : 3))
                if input.isEmpty, var last = cases.popLast() {
                    last.expected.append(expected)
                    cases.append(last)
                } else {
                    cases.append(Case(input: input, expected: [expected], line: start + 1))
                }
                input = []
            } else if line.hasPrefix("#") || (line.isEmpty && input.isEmpty) {
                continue
            } else {
                if input.isEmpty { start = i }
                input.append(line)
            }
        }
        return cases
    }

    @Test func expressions() throws {
        let cases = try Self.cases("expressions.check")
        #expect(cases.count > 20)
        for c in cases {
            let text = c.input.joined(separator: "\n")
            let got: String
            do {
                let value = try ExpressionEvaluator { Self.variables[$0] }.evaluate(try Expression.parse(text))
                got = value.map { $0.serialized() } ?? "undefined"
            } catch {
                got = "error at \(error.offset + 1): \(error.message)"
            }
            #expect([got] == c.expected, "expressions.check:\(c.line): \(text) #=> \(got)")
        }
    }

    @Test func statements() throws {
        let cases = try Self.cases("statements.check")
        #expect(cases.count > 8)
        for c in cases {
            let got: [String]
            do {
                let commands = try Lexer.parse(c.input.joined(separator: "\n"), file: "t.simsh")
                got = Self.outline(try StatementParser.parse(commands))
            } catch let e as Lexer.Failure {
                got = ["\(e.location.file):\(e.location.line):\(e.location.column): \(e.message)"]
            } catch let e as StatementParser.Unclosed {
                got = [Self.located(e.error)]
            } catch let e as SimshError {
                got = [Self.located(e)]
            }
            #expect(got == c.expected, "statements.check:\(c.line): \(c.input.joined(separator: "; ")) #=> \(got)")
        }
    }

    static func located(_ e: SimshError) -> String {
        (e.location.map { "\($0.file):\($0.line):\($0.column): " } ?? "") + e.message
    }

    /// One line per statement, blocks indented by two.
    static func outline(_ statements: [Statement], depth: Int = 0) -> [String] {
        let pad = String(repeating: "  ", count: depth)
        var lines: [String] = []
        for statement in statements {
            switch statement {
            case .command(let c):
                lines.append(pad + "command " + c.words.map { $0.literalText ?? "…" }.joined(separator: " "))
            case .expect(_, let form):
                let kind: String
                switch form {
                case .expression: kind = "expression"
                case .success: kind = "success"
                case .status: kind = "status"
                case .fail(let status): kind = status == nil ? "fail" : "fail with status"
                case .event(let words): kind = "event " + (words.first?.literalText ?? "…")
                case .call(_, let event, _, _): kind = "call reaches " + (event.literalText ?? "…")
                case .sequence(let names, _, _):
                    kind = "events " + names.map { $0.literalText ?? "…" }.joined(separator: " -> ")
                }
                lines.append(pad + "expect " + kind)
            case .assign(_, let name, _):
                lines.append(pad + "set " + name)
            case .conditional(let branches):
                for (i, branch) in branches.enumerated() {
                    lines.append(pad + (branch.condition == nil ? "else" : i == 0 ? "if" : "elif"))
                    lines += outline(branch.body, depth: depth + 1)
                }
                lines.append(pad + "end")
            case .repeatBlock(_, _, let body):
                lines += [pad + "repeat"] + outline(body, depth: depth + 1) + [pad + "end"]
            case .retryBlock(_, _, _, let body):
                lines += [pad + "retry"] + outline(body, depth: depth + 1) + [pad + "end"]
            }
        }
        return lines
    }
}
