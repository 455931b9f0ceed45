import SimotelKit
import Testing

@testable import SimshCommands

/// The Smart API script model and `smart check` (issue 11, point 1; webhooks.md §6.5, §6.7).
@Suite struct SmartScriptTests {
    /// Every example of §6.5's table, and its scenario's replies.
    static let documented = [
        "PlayAnnouncement('filename-nasim')", "PlayAnnouncement('id:5be6a5f294c28e3f068b4575')",
        "Playback('hello-world')", "SayNumber(5201)", "SayDigit(1239)", "SayDuration('6.16:0:51')",
        "SayClock('12:14:09')", "SayDate('1395-02-21', 'jalali')", "GetData('filename-please-enter-number', 10, 1)",
        "GetData('filename01&filename03&filename03', 10, 1)", "MusicOnHold('default', 60)", "SetExten('200')",
        "SetLimitOnCall(150)", "ClearUserData()", "Exit('3')",
        "PlayAnnouncement('announce01'); SayNumber(5201); PlayAnnouncement('announce02');",
        "PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')", "Exit('go-b');",
    ]

    @Test(arguments: documented)
    func documentedScriptsPass(script: String) {
        let (parsed, mistakes) = SmartScript.check(script)
        #expect(mistakes.isEmpty, "\(script): \(mistakes)")
        // Printed and read again, it is the same script.
        #expect(SmartScript.check(parsed.text).script == parsed)
    }

    @Test func theDocumentationsInconsistenciesAreFound() {
        let cases: [(String, [String], String, Int)] = [
            // §6.7.5: typographic quotes in two examples.
            ("MusicOnHold(‘default’, 60)", [], "typographic quote ‘", 13),
            ("SetExten(‘200’)", [], "typographic quote ‘", 10),
            // §6.7.2: the prose's ':id' form.
            ("PlayAnnouncement(':5be6a5f294c28e3f068b4575')", [], "written 'id:…'", 1),
            // §6.6: the PHP library's unquoted SayClock (its MusicOnHold's extra ';' is a warning:
            // SmartCheckTests).
            ("SayClock(12:14:09)", [], "neither a quoted string nor a whole number", 10),
            // Other mistakes.
            ("PlayAnnouncment('a')", [], "did you mean PlayAnnouncement?", 1),
            ("GetData('a', 10)", [], "GetData takes 3 arguments", 1),
            ("SayNumber('5')", [], "write it bare", 1), ("SetExten(200)", [], "write it in quotes", 1),
            ("Exit('go'); SayNumber(1)", [], "Exit must be last", 13),
            ("Exit('go-c')", ["go-a", "go-b"], "no such case (cases: go-a, go-b)", 1),
            ("SayDate('1395/02/21', 'jalali')", [], "SayDate wants 'YYYY-MM-DD'", 1),
            ("SayNumber(1) SayDigit(2)", [], "';' expected", 14), ("Playback('open", [], "string not closed", 10),
            ("Playback(\"x\")", [], "double quote", 10), ("", [], "no commands", 1),
            ("Exit('')", [], "names no case", 1), ("Exit('x',)", [], "an argument is missing", 10),
        ]
        for (script, cases, message, column) in cases {
            let (_, mistakes) = SmartScript.check(script, cases: cases.isEmpty ? nil : cases)
            #expect(mistakes.contains { $0.message.contains(message) && $0.column == column }, "\(script): \(mistakes)")
        }
    }

    /// One mistake is said once: not again as a wrong count, a type or `Exit` not last.
    @Test func oneMistakeOneLine() {
        for (script, only) in [
            ("GetData('a',99999999999999999999999,5);Exit('x')", "99999999999999999999999 is too large a number"),
            ("Exit('x", "string not closed"), ("Exit('x')Exit('y')", "';' expected between commands"),
            ("Exit('x',)", "an argument is missing"),
        ] {
            let mistakes = SmartScript.check(script).mistakes
            #expect(mistakes.count == 1 && mistakes[0].message.contains(only), "\(script): \(mistakes)")
        }
    }

    @Test func smartCheckPrintsEachMistakeAndExitsOne() async {
        let t = TestSession()
        let status = await t.run("smart check \"MusicOnHold(‘default’, 60); Exit('x')\" --cases go-a")
        #expect(status == 1)
        #expect(
            t.sink.standardError.contains("error: smart: column 13: typographic quote ‘"), "\(t.sink.standardError)")
        #expect(t.sink.standardError.contains("error: smart: column 29: Exit('x'): no such case (cases: go-a)"))
        let ok = TestSession()
        #expect(await ok.run("smart check \"Playback('a');Exit('go')\"") == 0)
        #expect(ok.sink.standardOutput == "ok (2 commands): Playback('a'); Exit('go')\n")
    }
}
