import Testing

@testable import SimshLanguage

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

    /// Runs of plain characters are copied from the text at once, by their UTF-8 offsets: words
    /// with characters of several bytes, CRLF line ends, a byte-order mark and `#` inside a word
    /// keep their text and their columns.
    @Test func plainRunsKeepTextAndColumns() throws {
        let text = "\u{FEFF}naïve 日本語 x#y\r\né'q'$X \"v\"w # note\rlast"
        #expect(try words(text, vars: ["X": "1"]) == [["naïve", "日本語", "x#y"], ["éq1", "vw"], ["last"]])
        let commands = try Lexer.parse(text, file: "t.simsh")
        #expect(commands[0].words.map(\.location.column) == [1, 7, 11])
        #expect(commands[1].words.map(\.location.column) == [1, 8])
        #expect(commands[1].words[0].location.line == 2)
        #expect(commands[0].raw == "naïve 日本語 x#y")
        // A plain word keeps its text; a word with a variable keeps its parts; both compare by parts.
        #expect(commands[0].words[1].literalText == "日本語")
        #expect(commands[1].words[0].literalText == nil)
        #expect(commands[1].words[0].parts == [.literal("éq"), .variable("X")])
        #expect(
            Word(parts: [.literal("x")], location: commands[0].words[0].location, sourceRange: 0..<1)
                == Word(text: "x", location: commands[0].words[0].location, sourceRange: 0..<1))
    }

    /// Every word written without quotes, escapes or variables is exactly its source text, for
    /// texts drawn (from a fixed seed) from characters of one to four bytes, combining marks,
    /// CRLF, a lone CR and a byte-order mark: the run copied by byte offsets never drifts from
    /// the characters.
    @Test func plainWordsAreTheirSourceText() throws {
        let palette: [String] = [
            "a", "Z", "0", "#", "=", ".", "é", "ß", "日", "😀", "e\u{301}", "\"\u{301}", "\r\n", "\r", "\n", " ",
            "\t", ";", "$X", "'q'", "\"d\"", "\\x", "\u{FEFF}",
        ]
        var seed: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for _ in 0..<300 {
            let text = (0..<next(40)).map { _ in palette[next(palette.count)] }.joined()
            guard let commands = try? Lexer.parse(text, file: "t.simsh") else { continue }
            let chars = Array(text)
            for word in commands.flatMap(\.words) {
                let source = String(chars[word.sourceRange])
                guard !source.contains(where: { "\\'\"$".contains($0) }) else { continue }
                #expect(word.literalText == source, "\(text.debugDescription): \(source.debugDescription)")
            }
        }
    }

    /// Only ASCII separates: U+037E GREEK QUESTION MARK is canonically `;` for Swift's
    /// `Character` comparison, but not a command separator (as in bash); a no-break space does
    /// not split words either.
    @Test func onlyASCIISeparates() throws {
        #expect(try words("echo a\u{037E}b") == [["echo", "a\u{037E}b"]])
        #expect(try words("echo a\u{00A0}b") == [["echo", "a\u{00A0}b"]])
    }
}
