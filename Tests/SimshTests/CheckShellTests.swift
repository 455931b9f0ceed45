import Foundation
import SimshTesting
import Testing

extension SpawningTests {
    /// The check language in the interactive shell: blocks continue until `end`, `record`
    /// writes a runnable script with secrets as variables, history never holds a known secret.
    @Suite struct CheckShellTests {
        static let prompt = "simsh demo> "

        @Test func aBlockContinuesUntilEndThenRuns() throws {
            let t = try TmuxSession(home: TempDir())
            #expect(t.waitForPrompt(), "\(t.screen)")
            try t.type("if 1 == 1")
            try t.press("Enter")
            #expect(
                t.waitFor {
                    $0.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces).hasSuffix("->") == true
                },
                "\(t.screen)")
            #expect(!t.screen.contains("error"), "\(t.screen)")
            try t.type("echo inside-the-block")
            try t.press("Enter")
            try t.type("end")
            try t.press("Enter")
            #expect(t.waitForText("\ninside-the-block"), "\(t.screen)")
            #expect(t.waitForPrompt(), "\(t.screen)")
            try t.press("C-d")
            #expect(t.waitForExit() == 0)
        }

        @Test func recordWritesARunnableScriptWithSecretsAsVariables() throws {
            let home = TempDir()
            let script = home.file("explore.simsh")
            let t = try TmuxSession(arguments: ["--demo", "--secret", "PW=Rec0rded-Pw"], home: home)
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(try t.run("record \(script)"))
            #expect(try t.run("users add number=188 name=Rec secret=Rec0rded-Pw context=main_routing"))
            #expect(try t.run("expect success"))
            #expect(try t.run("users frob"))
            #expect(try t.run("users search number=188"))
            #expect(try t.run("record stop"))
            #expect(t.screen.contains("recorded to \(script)"), "\(t.screen)")
            #expect(try t.run("echo Rec0rded-Pw"))
            try t.press("C-d")
            #expect(t.waitForExit() == 0)

            let text = try String(contentsOfFile: script, encoding: .utf8)
            #expect(!text.contains("Rec0rded-Pw"), "\(text)")
            #expect(text.contains("secret=${PW}"), "\(text)")
            #expect(text.contains("# failed (exit 2):\n# users frob"), "\(text)")
            #expect(text.contains("\nexpect success\n"), "\(text)")
            #expect(!text.contains("record stop") && !text.contains("\nrecord "), "\(text)")
            // It runs again, given the variable.
            let r = try spawnSimsh(["--demo", "--secret", "PW=Other-pw-1", script], home: home)
            #expect(r.status == 0, "\(r.stderr)")

            let history = try String(contentsOfFile: home.file("state/history"), encoding: .utf8)
            #expect(!history.contains("Rec0rded-Pw"), "\(history)")
            #expect(history.contains("echo ****"), "\(history)")
        }
    }
}
