import Foundation
import SimshTesting
import Testing

/// Colour and the pager through the binary (issue 23, point 4): `--color always|never`,
/// `--no-color` and NO_COLOR; long help through $PAGER on a terminal at 80×24, never in a
/// script or into a pipe.
extension SpawningTests {
    @Suite struct ColourAndPagerTests {
        /// A PAGER that keeps what it was given in `record` and says it ran.
        func pagerScript(in home: TempDir) throws -> (pager: String, record: String) {
            let pager = home.file("pager.sh")
            let record = home.file("paged.txt")
            try "#!/bin/sh\ncat > '\(record).part' && mv '\(record).part' '\(record)'\necho '[paged]'\n"
                .write(toFile: pager, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: pager)
            return (pager, record)
        }

        /// A shell at 80×24, its prompt shown.
        func shell(home: TempDir, environment: [String: String]) throws -> TmuxSession {
            let t = try TmuxSession(home: home, environment: environment)
            try t.tmux(["resize-window", "-t", t.name, "-x", "80", "-y", "24"])
            #expect(t.waitForPrompt(), "no prompt: \(t.screen)")
            return t
        }

        @Test func colorAlwaysColoursTablesAndJSONEvenIntoAPipe() throws {
            let home = TempDir()
            // NO_COLOR=1 is set for every spawned simsh: --color always wins over it.
            let bold = try spawnSimsh(
                ["--demo", "--color", "always", "--output", "table", "-c", "users search"], home: home)
            #expect(bold.status == 0, "\(bold.stderr)")
            #expect(bold.stdout.contains("\u{1B}[1mnumber  name"), "\(bold.stdout)")
            let json = try spawnSimsh(["--demo", "--color", "always", "-c", "users search"], home: home)
            #expect(json.stdout.contains("\u{1B}[1;34m\"success\"\u{1B}[0m: \u{1B}[36m1\u{1B}[0m"), "\(json.stdout)")
            // Into a pipe without --color always: no escape at all.
            let table = ["--output", "table"]
            for options in [["--color", "never"] + table, ["--no-color"] + table, ["--color", "auto"] + table, []] {
                let r = try spawnSimsh(
                    ["--demo"] + options + ["-c", "users search"], environment: ["NO_COLOR": ""], home: home)
                #expect(r.status == 0, "\(options): \(r.stderr)")
                #expect(!r.stdout.contains("\u{1B}") && r.stdout.contains("name"), "\(options): \(r.stdout)")
            }
        }

        @Test func aTerminalGetsColourUnlessNoColorOrColorNever() throws {
            let cases: [([String], [String: String], Bool)] = [
                (["--demo"], ["NO_COLOR": ""], true),
                (["--demo"], ["NO_COLOR": "1"], false),
                (["--demo", "--color", "never"], ["NO_COLOR": ""], false),
                (["--demo", "--no-color"], ["NO_COLOR": ""], false),
            ]
            for (arguments, environment, coloured) in cases {
                let t = try TmuxSession(arguments: arguments, environment: environment)
                #expect(t.waitForPrompt(), "no prompt: \(t.screen)")
                #expect(try t.run("users search"))
                let styled = try t.tmux(["capture-pane", "-p", "-e", "-t", t.name])
                #expect(styled.contains("\u{1B}[1mnumber") == coloured, "\(arguments) \(environment): \(styled)")
            }
        }

        @Test func longHelpGoesThroughThePagerAt80x24() throws {
            let home = TempDir()
            let (pager, record) = try pagerScript(in: home)
            let t = try shell(home: home, environment: ["PAGER": pager])
            // Shorter than the screen: printed, not paged.
            #expect(try t.run("help version"))
            #expect(!FileManager.default.fileExists(atPath: record))
            #expect(try t.run("help api"))
            #expect(t.screen.contains("[paged]"), "\(t.screen)")
            let paged = try String(contentsOfFile: record, encoding: .utf8)
            #expect(paged.hasPrefix("NAME\n") && paged.contains("autodialer"), "\(paged.prefix(200))")
            // Laid out for the terminal's 80 columns.
            for row in paged.split(separator: "\n") where row.count > 80 {
                #expect(row.split(separator: " ").count == 1, "\(row)")
            }
        }

        /// A pager that fails (PAGER=false) loses nothing: the text is printed instead.
        @Test func aFailingPagerLosesNothing() throws {
            let t = try shell(home: TempDir(), environment: ["PAGER": "false"])
            #expect(try t.run("help api"))
            #expect(t.waitForText("autodialer"), "\(t.screen)")
        }

        @Test func lessHasTheTerminalAndCtrlCThenQReturnsToThePrompt() throws {
            let t = try shell(home: TempDir(), environment: ["PAGER": "less -FRX"])
            try t.type("help script")
            try t.press("Enter")
            // less waits at its `:` prompt on the last row, the page above it.
            #expect(
                t.waitFor { $0.contains("simsh-script") && $0.split(separator: "\n").last == ":" }, "\(t.screen)")
            try t.press("C-c")
            try t.press("q")
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(!t.screen.contains("interrupted"), "\(t.screen)")
            #expect(try t.run("echo still-here"))
            #expect(t.screen.contains("still-here"))
        }

        @Test func scriptsAndPipesAreNeverPaged() throws {
            let home = TempDir()
            let (pager, record) = try pagerScript(in: home)
            let file = home.file("long.simsh")
            try "help api\n".write(toFile: file, atomically: true, encoding: .utf8)
            let t = try TmuxSession(arguments: ["--demo", file], home: home, environment: ["PAGER": pager])
            #expect(t.waitForExit() == 0, "\(t.screen)")
            #expect(!FileManager.default.fileExists(atPath: record), "a script's help was paged")
            let piped = try spawnSimsh(["-c", "help api"], environment: ["PAGER": pager], home: home)
            #expect(piped.status == 0 && piped.stdout.hasPrefix("NAME\n"), "\(piped.stderr)")
            #expect(!FileManager.default.fileExists(atPath: record), "help into a pipe was paged")
        }
    }
}
