import Foundation
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

/// The interactive shell in a real terminal (tmux): completion, Ctrl-C both ways, Ctrl-D,
/// Ctrl-R, history persistence and redaction, UTF-8, and a message printed above a half-typed line.
extension SpawningTests {
    @Suite struct TerminalTests {
        static let prompt = "simsh demo> "

        func started(_ args: [String] = ["--demo"], home: TempDir = TempDir(), environment: [String: String] = [:])
            throws
            -> TmuxSession
        {
            let t = try TmuxSession(arguments: args, home: home, environment: environment)
            #expect(t.waitForPrompt(), "no prompt: \(t.screen)")
            return t
        }

        /// Runs a long command, presses Ctrl-C, and expects the prompt back soon with "interrupted".
        func interrupt(_ command: String, in t: TmuxSession) throws {
            try t.type(command)
            try t.press("Enter")
            usleep(500_000)
            let start = Date()
            try t.press("C-c")
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(Date().timeIntervalSince(start) < 5)
            #expect(t.screen.contains("interrupted"))
        }

        func count(_ text: String, in t: TmuxSession) -> Int { t.screen.components(separatedBy: text).count - 1 }

        /// Types a destructive command and expects its `[y/N]` question.
        func ask(_ line: String, in t: TmuxSession) throws {
            try t.type(line)
            try t.press("Enter")
            #expect(t.waitForText("[y/N]"), "\(t.screen)")
        }

        @Test func demoPingPrintsSuccessAndSimotelsMessage() throws {
            let t = try started()
            #expect(try t.run("ping"))
            #expect(t.screen.contains("ping ok (success 1"))
            #expect(
                t.screen.contains(
                    "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"))
        }

        @Test func tabCompletesCommandsSubcommandsOptionsAndProfiles() throws {
            let home = TempDir()
            try "[profiles.lab]\nurl = \"http://127.0.0.1:1\"\n[profiles.prod]\nurl = \"http://127.0.0.1:2\"\n"
                .write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
            let t = try started(home: home, environment: ["SIMSH_CONFIG": home.file("config.toml")])
            try t.type("pro")
            try t.press("Tab")
            #expect(t.waitFor { $0.contains(Self.prompt + "profile") }, "\(t.screen)")
            try t.press("Tab")
            #expect(
                t.waitFor { $0.contains("list") && $0.contains("remove") && $0.contains("save") && $0.contains("use") },
                "\(t.screen)")
            try t.type("us")
            try t.press("Tab")
            try t.type("pr")
            try t.press("Tab")
            #expect(t.waitFor { $0.contains(Self.prompt + "profile use prod") }, "\(t.screen)")
            try t.press("C-c")
            #expect(t.waitForPrompt())
            try t.type("connect http://h --au")
            try t.press("Tab")
            try t.type("bo")
            try t.press("Tab")
            #expect(t.waitFor { $0.contains(Self.prompt + "connect http://h --auth both") }, "\(t.screen)")
            try t.press("C-c")
            #expect(t.waitForPrompt())
            try t.type("connect l")
            try t.press("Tab")
            #expect(t.waitFor { $0.contains(Self.prompt + "connect lab") }, "\(t.screen)")
        }

        @Test func ctrlCDiscardsTheLineAndCancelsACommandButNotTheShell() throws {
            let t = try started()
            try t.type("echo discarded-text")
            try t.press("C-c")
            #expect(t.waitForPrompt())
            #expect(try t.run("echo kept-text"))
            #expect(count("kept-text", in: t) == 2, "\(t.screen)")
            #expect(count("discarded-text", in: t) == 1, "the discarded line ran: \(t.screen)")
            try interrupt("sleep 30", in: t)
            #expect(try t.run("echo still-alive"))
            #expect(count("still-alive", in: t) == 2, "\(t.screen)")
            #expect(t.exitStatus == nil)
        }

        @Test func ctrlDOnAnEmptyLineExitsZero() throws {
            let t = try started()
            try t.press("C-d")
            #expect(t.waitForExit() == 0, "\(t.screen)")
        }

        @Test func exitWithStatus() throws {
            let t = try started()
            try t.type("exit 3")
            try t.press("Enter")
            #expect(t.waitForExit() == 3)
        }

        @Test func ctrlRSearchesHistoryAndHistoryPersistsWithoutSecrets() throws {
            let home = TempDir()
            var t = try started(home: home)
            #expect(try t.run("connect demo --password hunter2-secret --api-key KEY-SECRET-123"))
            #expect(try t.run("echo needle-4711"))
            #expect(try t.run(" echo space-first-not-saved"))
            #expect(try t.run("echo other"))
            try t.press("C-r")
            try t.type("needle")
            #expect(t.waitForText("needle"))
            try t.press("Enter")
            #expect(t.waitFor { $0.components(separatedBy: "\nneedle-4711").count == 3 }, "\(t.screen)")
            try t.press("C-d")
            #expect(t.waitForExit() == 0)

            let history = try String(contentsOfFile: home.file("state/history"), encoding: .utf8)
            #expect(!history.contains("hunter2-secret"))
            #expect(!history.contains("KEY-SECRET-123"))
            #expect(history.contains("connect demo --password **** --api-key ****"))
            #expect(!history.contains("space-first-not-saved"))

            t = try started(home: home)
            try t.press("Up")
            #expect(t.waitFor { $0.contains(Self.prompt + "echo needle-4711") }, "\(t.screen)")
            try t.press("C-u")
            #expect(try t.run("history 6"))
            #expect(t.screen.contains("connect demo --password **** --api-key ****"), "\(t.screen)")
            #expect(!t.screen.contains("hunter2"))
        }

        @Test func aRecalledLineSendsWhatWasTypedAndAMaskFromAnEarlierSessionIsRefused() throws {
            let home = TempDir()
            var t = try started(home: home)
            #expect(try t.run("echo secret=hello-recall"))
            try t.press("Up")
            #expect(t.waitFor { $0.contains(Self.prompt + "echo secret=hello-recall") }, "\(t.screen)")
            try t.press("Enter")
            #expect(t.waitFor { $0.components(separatedBy: "\nsecret=hello-recall").count == 3 }, "\(t.screen)")
            #expect(!t.screen.contains("secret=****"), "\(t.screen)")
            try t.press("C-d")
            #expect(t.waitForExit() == 0)

            t = try started(home: home)
            try t.press("Up")
            #expect(t.waitFor { $0.contains(Self.prompt + "echo secret=****") }, "\(t.screen)")
            try t.press("Enter")
            #expect(
                t.waitForText("error: this line came from history with its secret masked; type the secret again"),
                "\(t.screen)")
        }

        @Test func messageAboveAHalfTypedLineKeepsItEditable() throws {
            let t = try started()
            #expect(try t.run("announce --after 1500ms 'EVENT <-- Ping [#1]'"))
            try t.type("echo half-typed")
            #expect(t.waitForText("EVENT <-- Ping [#1]"), "\(t.screen)")
            let lines = t.lines
            let eventRow = lines.lastIndex { $0.contains("EVENT <-- Ping [#1]") }
            #expect(lines.last == Self.prompt + "echo half-typed", "\(t.screen)")
            #expect(eventRow == lines.count - 2, "\(t.screen)")
            try t.press("BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
            try t.type("edited")
            try t.press("Enter")
            #expect(t.waitFor { $0.split(separator: "\n").contains("half-edited") }, "\(t.screen)")
        }

        @Test func aWebhookEventArrivingMidLineIsPrintedAboveAndTheLineStaysEditable() async throws {
            let t = try started()
            #expect(try t.run("listen status"))
            let url = try #require(
                t.screen.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression).map {
                    String(t.screen[$0])
                })
            try t.type("echo half-typed")
            #expect(t.waitForText("echo half-typed"))
            let cdr = EventCatalog.kind(named: "Cdr")!.sample.setting("unique_id", to: .string("777.1"))
            _ = try await WebhookSender().send(cdr, eventName: "Cdr", to: url)
            #expect(t.waitForText("<-- Cdr [#1]"), "\(t.screen)")
            let lines = t.lines
            #expect(lines.last == Self.prompt + "echo half-typed", "\(t.screen)")
            #expect(
                lines[lines.count - 2].contains("<-- Cdr [#1]") && lines[lines.count - 2].contains("unique_id=777.1"))
            try t.type(" and-edited")
            try t.press("Enter")
            #expect(t.waitFor { $0.split(separator: "\n").contains("half-typed and-edited") }, "\(t.screen)")
            // In the demo, ping makes the simulator's Ping event appear above the prompt.
            #expect(try t.run("ping"))
            // Numbered by the store, after or before ping's own request record.
            #expect(t.waitForText("<-- Ping [#"), "\(t.screen)")
        }

        @Test func ctrlCCancelsAWaitForAnEvent() throws {
            let t = try started()
            try interrupt("wait event Cdr --timeout 60s", in: t)
        }

        @Test func originateAsksFirstThenItsEventsArriveAboveThePrompt() throws {
            let t = try started()
            try ask("originate caller=101 callee=102 context=main_routing caller_id=101", in: t)
            try t.type("y")
            try t.press("Enter")
            #expect(t.waitForText("<-- Cdr [#"), "\(t.screen)")
            #expect(t.screen.contains("<-- NewState [#"))
            #expect(t.screen.contains("<-- IncomingCall [#"))
            #expect(t.waitForPrompt(), "\(t.screen)")
            // A search on a terminal prints a table; a destructive command answered "n" does nothing.
            #expect(try t.run("users search"))
            #expect(t.screen.contains("number  name") && t.screen.contains("4 records"), "\(t.screen)")
            try ask("users remove _id=6033876dc92de036d1390923", in: t)
            try t.type("n")
            try t.press("Enter")
            #expect(t.waitForText("not done"), "\(t.screen)")
            #expect(try t.run("users remove _id=6033876dc92de036d1390923 --yes") == true)
            #expect(t.screen.contains("Requested operation failed"), "\(t.screen)")
        }

        @Test func aFieldNameWithASpaceIsInsertedQuoted() throws {
            let t = try started()
            try t.type("users add forward_policy.No")
            try t.press("Tab")
            #expect(
                t.waitFor { $0.contains(Self.prompt + #"users add "forward_policy.No Answer"="#) }, "\(t.screen)")
            try t.type("570 number=188 name=Q secret=s")
            try t.press("Enter")
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(t.screen.contains("Requested operation is done successfully"), "\(t.screen)")
        }

        @Test func ctrlCAtAQuestionCancelsAtOnce() throws {
            let t = try started()
            try ask("users remove _id=6033876dc92de036d1390923", in: t)
            try t.press("C-c")
            #expect(t.waitForText("not done"), "\(t.screen)")
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(try t.run("echo still-here"))
            #expect(t.lines.contains("still-here"), "\(t.screen)")
        }

        @Test func messagesArriveWhileIdleToo() throws {
            let t = try started()
            #expect(try t.run("announce --after 300ms first; announce --after 600ms second"))
            #expect(t.waitFor { $0.contains("first") && $0.contains("second") }, "\(t.screen)")
            #expect(t.waitForPrompt())
            #expect(try t.run("echo after-messages"))
        }

        @Test func utf8InputWorks() throws {
            let t = try started()
            #expect(try t.run("echo héllo wörld سلام"))
            #expect(t.lines.contains("héllo wörld سلام"), "\(t.screen)")
        }

        @Test func errorsPrintOneLineAndTheShellGoesOn() throws {
            let t = try started()
            #expect(try t.run("pnig"))
            #expect(t.screen.contains("error: unknown command 'pnig'; did you mean 'ping'?"), "\(t.screen)")
            try t.type("echo 'open quote")
            try t.press("Enter")
            #expect(t.waitFor { $0.hasSuffix("->\n") || $0.contains("->\n") }, "\(t.screen)")
            #expect(try t.run("closed'"))
            #expect(t.screen.contains("open quote\nclosed"), "\(t.screen)")
            #expect(t.exitStatus == nil)
        }
    }
}
