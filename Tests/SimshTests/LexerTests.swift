import Testing

@testable import SimshCore

@Suite struct LexerTests {
    func words(_ text: String, vars: [String: String] = [:]) throws -> [[String]] {
        try Lexer.parse(text, file: "t.simsh").map { cmd in
            try cmd.words.map { try $0.expanded(lookup: { vars[$0] }) }
        }
    }

    @Test func splitsWordsAndCommands() throws {
        #expect(try words("connect  demo ; ping\nstatus") == [["connect", "demo"], ["ping"], ["status"]])
    }

    @Test func quotes() throws {
        #expect(try words(#"echo 'a  $X b' "c $X d" e\ f"#, vars: ["X": "1"]) == [["echo", "a  $X b", "c 1 d", "e f"]])
        #expect(try words(#"echo "" ''"#) == [["echo", "", ""]])
        #expect(try words(#"echo "say \"hi\" \$5 \\ \q""#) == [["echo", #"say "hi" $5 \ \q"#]])
    }

    @Test func variables() throws {
        let vars = ["HOST": "pbx", "event.unique_id": "1510.9", "file": "out", "1": "first"]
        #expect(
            try words(
                "echo $HOST ${HOST}x $event.unique_id $file.txt $1 $ $5x",
                vars: vars.merging(["5": "five"]) { a, _ in a })
                == [["echo", "pbx", "pbxx", "1510.9", "out.txt", "first", "$", "fivex"]])
    }

    @Test func undefinedVariableIsAnError() {
        #expect(throws: SimshError.self) { try words("echo $NOPE") }
        do {
            _ = try words("echo ok\n  echo $NOPE")
        } catch let e as SimshError {
            #expect(e.location == SourceLocation(file: "t.simsh", line: 2, column: 8))
            #expect(e.message.contains("$NOPE"))
        } catch { Issue.record("wrong error \(error)") }
    }

    @Test func commentsAndContinuation() throws {
        #expect(try words("# a comment\nping # trailing\necho a#b") == [["ping"], ["echo", "a#b"]])
        #expect(try words("echo one \\\n  two") == [["echo", "one", "two"]])
    }

    @Test func locations() throws {
        let cmds = try Lexer.parse("ping\n\n  echo  x", file: "f.simsh")
        #expect(cmds[1].location == SourceLocation(file: "f.simsh", line: 3, column: 3))
        #expect(cmds[1].words[1].location.column == 9)
    }

    @Test func unterminatedQuoteNamesWhereItOpened() {
        do {
            _ = try Lexer.parse("ping\necho \"abc\n", file: "bad.simsh")
            Issue.record("no error")
        } catch {
            #expect(error.location == SourceLocation(file: "bad.simsh", line: 2, column: 6))
            #expect(error.message == "unterminated double quote")
            #expect(error.needsMoreInput)
            #expect(error.error.exitStatus == 2)
        }
    }

    @Test func needsMoreInput() {
        #expect(Lexer.needsMoreInput("echo 'abc"))
        #expect(Lexer.needsMoreInput("echo abc \\"))
        #expect(!Lexer.needsMoreInput("echo 'abc'"))
        #expect(!Lexer.needsMoreInput("echo ${X"))
    }

    @Test func utf8Columns() throws {
        let cmds = try Lexer.parse("echo héllo $X", file: "u")
        #expect(cmds[0].words[2].location.column == 12)
    }
}
