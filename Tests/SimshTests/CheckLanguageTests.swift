import Foundation
import SimotelKit
import Testing

@testable import SimshCommands
@testable import SimshLanguage
@testable import SimshRuntime

/// Expressions, checks and blocks of the check language (issue 10, points 1–3).
@Suite struct ExpressionTests {
    static func value(_ text: String, _ vars: [String: JSONValue] = [:]) throws -> JSONValue? {
        try ExpressionEvaluator { vars[$0] }.evaluate(try Expression.parse(text))
    }

    @Test func literalsOperatorsAndLooseNumbers() throws {
        let cases: [(String, Bool)] = [
            ("1 == 1", true), ("\"31\" == 31", true), ("31 == \"31\"", true), ("\"31\" == \"31.0\"", false),
            ("\"abc\" < \"abd\"", true), ("\"9\" < 10", true), ("2 >= 2 and 1 <= 2", true), ("not true", false),
            ("true or false and false", true), ("(true or false) and false", false), ("null == null", true),
            ("[1, \"2\"] == [1, 2]", true), ("[1, 2] contains 2", true), ("\"hello\" contains \"ell\"", true),
            ("\"ANSWERED\" matches \"^ANS\"", true), ("length [1, 2, 3] == 3", true), ("count \"ab\" == 2", true),
            ("-1 < 0", true), ("1e3 == 1000", true), ("'single' == \"single\"", true),
        ]
        for (text, expected) in cases {
            #expect(try Self.value(text) == .bool(expected), "\(text)")
        }
    }

    @Test func pathsAndMissingValues() throws {
        let response = try JSONValue.parse(
            #"{"status":200,"data":[{"number":"101","forward_policy":{"No Answer":"1"}}]}"#)
        let vars = ["response": response]
        #expect(try Self.value("$response.data[0].number == 101", vars) == .bool(true))
        #expect(try Self.value("$response.data.0.number == \"101\"", vars) == .bool(true))
        #expect(try Self.value("$response.data[0].forward_policy[\"No Answer\"] == 1", vars) == .bool(true))
        #expect(try Self.value("exists $response.data[1]", vars) == .bool(false))
        #expect(try Self.value("$response.data[1].number == 1", vars) == .bool(false))
        #expect(try Self.value("$response.data[1].number != 1", vars) == .bool(true))
        #expect(try Self.value("$response.nothing exists", vars) == .bool(false))
        // Before any answer, paths under $response are missing, not undefined.
        #expect(try Self.value("exists $response.status") == .bool(false))
        #expect(throws: ExpressionError.self) { try Self.value("$nosuch == 1") }
    }

    @Test func mistakesAreLocated() {
        let cases: [(String, String, Int)] = [
            ("$x = 1", "'=' compares nothing", 3), ("(1 == 1", "'(' is not closed", 0), ("1 == ", "needs a value", 2),
            ("1 == 1 == 1", "do not chain", 7), ("ANSWERED == 1", "unknown word 'ANSWERED'", 0),
            ("[1, 2", "'[' is not closed", 0), ("\"open", "unterminated double quote", 0),
            ("", "missing expression", 0),
            ("1 ~ 2", "unexpected '~'", 2),
        ]
        for (text, message, offset) in cases {
            do {
                _ = try Expression.parse(text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.message.contains(message), "\(text): \(error.message)")
                #expect(error.offset == offset, "\(text): offset \(error.offset)")
            }
        }
    }

    @Test func typeErrorsAreErrorsNotFalse() throws {
        for text in ["[1] < 2", "length 5", "not 1", "1 and true", "5 contains 1", "\"a\" matches \"(\""] {
            #expect(throws: ExpressionError.self, "\(text)") { try Self.value(text) }
        }
    }

    @Test func hugeAndDeepExpressionsAreRefusedNotCrashing() {
        let deep = String(repeating: "(", count: 100_000) + "1"
        #expect(throws: ExpressionError.self) { try Expression.parse(deep) }
        let long = Array(repeating: "true", count: 5000).joined(separator: " and ")
        #expect(throws: ExpressionError.self) { try Expression.parse(long) }
        let nots = String(repeating: "not ", count: 10_000) + "true"
        #expect(throws: ExpressionError.self) { try Expression.parse(nots) }
    }
}

@Suite struct CheckStatementTests {
    @Test func aFailedCheckSaysWhereWhatAndWhatWasFound() async throws {
        let t = TestSession()
        t.session.rememberResponse(try JSONValue.parse(#"{"success":1,"message":"","data":[]}"#), status: 200)
        let status = await t.run("echo start\n  expect $response.status == 404\necho never", file: "c.simsh")
        #expect(status == 1)
        let lines = t.sink.standardError.split(separator: "\n").map(String.init)
        #expect(lines.first == "c.simsh:2:10: expect failed: $response.status == 404 (actual: 200)")
        #expect(lines.dropFirst().first == "      expect $response.status == 404")
        #expect(lines.dropFirst(2).first == "             ^~~~~~~~~~~~~~~~~~~~~~~")
        #expect(!t.sink.standardOutput.contains("never"))
    }

    @Test func syntaxErrorsStopBeforeAnythingRuns() async {
        for script in [
            "echo ran\nif true\necho x", "echo ran\nend", "echo ran\nexpect (1", "echo ran\nretry 3\nend",
            "echo ran\nrepeat\nend", "echo ran\nelse\n", "echo ran\nif true\nelse\nelif true\nend", "echo ran\nexpect",
            "echo ran\nset x = ", "echo ran\nretry 2 every soon\nend",
        ] {
            let t = TestSession()
            let status = await t.run(script)
            #expect(status == 2, "\(script)")
            #expect(!t.sink.standardOutput.contains("ran"), "\(script)")
        }
    }

    @Test func blocksNeedMoreInputUntilEnd() {
        #expect(Interpreter.needsMoreInput("if true"))
        #expect(Interpreter.needsMoreInput("if true\n  repeat 2\n  end"))
        #expect(!Interpreter.needsMoreInput("if true\necho x\nend"))
        #expect(!Interpreter.needsMoreInput("end"))  // an error, shown at once
        #expect(Interpreter.needsMoreInput("echo 'open"))
    }

    @Test func expectFailNeedsACommandAfterIt() async {
        let t = TestSession()
        #expect(await t.run("expect fail") == 2)
        let u = TestSession()
        #expect(await u.run("expect fail\nif true\necho x\nend") == 2)
        let v = TestSession()
        #expect(await v.run("expect fail 2\nset") == 1)
        let w = TestSession()
        #expect(await w.run("expect fail 2\nnosuchcommand\necho $?") == 0)
        #expect(w.sink.standardOutput == "2\n")
    }

    @Test func continueOnErrorReportsEveryFailureAndExitsWithTheFirst() async {
        let t = TestSession()
        t.interpreter.continueOnError = true
        let status = await t.run("expect 1 == 2\nnosuch\necho reached\nexpect 2 == 3")
        #expect(status == 1)
        #expect(t.sink.standardOutput == "reached\n")
        #expect(t.interpreter.reported.count == 3)
    }

    @Test func typedAndTextVariables() async {
        let t = TestSession()
        let status = await t.run(
            """
            set n = 3
            set s 3
            set l = [1, "two", true]
            expect $n == 3 and $s == 3 and $s == "3"
            expect length $l == 3 and $l[2]
            echo "$n $l.1 ${s}"
            """)
        #expect(status == 0, "\(t.sink.all)")
        #expect(t.sink.standardOutput == "3 two 3\n")
    }
}

/// What probing the check language found (each was a crash, a hang or a wrong answer).
@Suite struct CheckLanguageRegressionTests {
    @Test func numbersAsTextAreStrictAndOrderedAsNumbers() throws {
        for (text, expected) in [
            ("\"10\" > \"9\"", true), ("\"0x1F\" == 31", false), ("\"inf\" == 1", false), ("\" 31\" == 31", false),
            ("\"+5\" == 5", false), ("\"abc\" contains \"\"", true), ("\"abc\" matches \"\"", true),
            ("null contains 1", false), ("\"b\" > \"a\"", true),
        ] {
            #expect(try ExpressionTests.value(text) == .bool(expected), "\(text)")
        }
        #expect(throws: ExpressionError.self) { try Expression.parse("1e400 == 1") }
        let vars: [String: JSONValue] = ["l": .array([.number(1)])]
        #expect(try ExpressionTests.value("exists $l.9223372036854775808", vars) == .bool(false))
        #expect(try ExpressionTests.value("exists $l[9223372036854775808]", vars) == .bool(false))
        #expect(try ExpressionTests.value("not exists $never_set") == .bool(true))
        #expect(throws: ExpressionError.self) { try Expression.parse("$l[-1] == 1") }
        #expect(throws: ExpressionError.self) { try Expression.parse("$l[0 == 1") }
    }

    @Test func scriptsThatWereWrong() async {
        let cases: [(String, Int32, String)] = [
            // Durations past a year are refused, not a crash.
            ("expect event Nope within 1e30s", 2, ""), ("retry 2 every 99999999999h\nexpect false\nend", 2, ""),
            ("wait event Nope --timeout 1e30s", 2, ""),
            ("retry 0 every 1s\necho ran\nend", 2, ""),
            ("set x = 1\nset x 2\nexpect $x == 2\nunset x\nexpect not exists $x\necho ok", 0, "ok\n"),
            ("set response = 5", 2, ""), ("set event.x 1", 2, ""),
            ("if true\nexpect fail\nend\nnosuch", 2, ""), ("expect fail\nset x = 1", 2, ""),
            ("echo ran\nexpect success extra", 2, ""), ("echo ran\nexpect status 99", 2, ""),
            ("echo ran\nexpect fail 0\nnosuch", 2, ""),
            ("expect success", 1, ""),  // no answer yet: the check fails
            ("echo a\rexpect 1 == 2\r", 1, "a\n"),  // old Mac line endings
            ("\u{FEFF}echo bom", 0, "bom\n"),
        ]
        for (script, status, output) in cases {
            let t = TestSession()
            let s = await t.run(script)
            #expect(s == status, "\(script.debugDescription): \(t.sink.all)")
            #expect(t.sink.standardOutput == output, "\(script.debugDescription)")
        }
    }

    @Test func anEventIsReturnedOnceAndSeqCanBeMatched() async throws {
        // The session's own numbers (no store): the Pings are #1 and #2.
        let t = TestSession(environment: ["SIMSH_STORE": "off"])
        try await t.session.startDemo()
        #expect(await t.run("ping\nping\nexpect event Ping --where seq=2 within 5s\nexpect $event.seq == 2") == 0)
        let u = TestSession(environment: ["SIMSH_STORE": "off"])
        try await u.session.startDemo()
        #expect(await u.run("ping\nexpect event Ping within 5s\nexpect event Ping within 300ms") == 1)
        await t.session.close()
        await u.session.close()
    }

    @Test func pathsWithBracketsInWords() async throws {
        let t = TestSession()
        t.session.rememberResponse(try JSONValue.parse(#"{"data":[{"number":"101","secret":"******"}]}"#), status: 200)
        #expect(await t.run("echo $response.data[0].number $response.data.0.number") == 0)
        #expect(t.sink.standardOutput == "101 101\n")
        // Simotel's own mask in an answer shown with echo is shown, not refused.
        #expect(await t.run("echo $response.data.0") == 0)
        #expect(await t.run("call pbx/users/update secret=$response.data.0.secret") == 2)
    }
}

/// What probing `simsh test`, secrets and the shell found.
@Suite struct SecretsAndOutputRegressionTests {
    @Test func longSecretsAreMaskedAnywhereShortOnesAsWholeValues() {
        let s = SecretValues()
        s.add("Pw-9f83kq")
        s.add("ab")
        #expect(s.redact("x Pw-9f83kq y") == "x **** y")
        #expect(s.redact("xPw-9f83kq9 and Pw-9f83kq_suffix") == "x****9 and ****_suffix")
        #expect(s.redact("ab cab abc ab") == "**** cab abc ****")
        let quoted = SecretValues()
        quoted.add(#"Q"x\y<z>&é/+ %"#)
        #expect(quoted.redact(#"{"name":"Q\"x\\y<z>&é/+ %"}"#) == #"{"name":"****"}"#)
        #expect(quoted.redact("u=Q%22x%5Cy%3Cz%3E%26%C3%A9%2F%2B%20%25") == "u=****")
    }

    @Test func controlCharactersCannotDriveTheTerminal() {
        #expect(
            Output.terminalSafe("a\u{1B}]0;pwned\u{07}b\u{1B}[2Jc\rd")
                == "a\u{FFFD}]0;pwned\u{FFFD}b\u{FFFD}[2Jc\u{FFFD}d")
        #expect(Output.terminalSafe("\u{1B}[1;31merror:\u{1B}[0m ok\n\tx") == "\u{1B}[1;31merror:\u{1B}[0m ok\n\tx")
    }

    @Test func blockLinesAreOneRunnableHistoryEntry() async {
        #expect(HistoryStore.recall(for: "repeat 2\n  echo hi\nend") == "repeat 2; echo hi; end")
        let t = TestSession()
        #expect(await t.run("repeat 2; echo hi; end") == 0)
        #expect(t.sink.standardOutput == "hi\nhi\n")
    }
}
