import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshRuntime

/// One-shot CLI conventions (issue 23, point 3): `--output`/`--quiet` after the command, per-command
/// `--output`, typed JSON lines, error objects on stdout, the banner on stderr, component call's
/// exit 4, and completion of the API's words.
@Suite struct CLIConventionsTests {
    static let types: Set<String> = ["answer", "event", "request", "error", "text"]

    /// Each line of `text` as a JSON object with a known `type`.
    static func typedLines(_ text: String) throws -> [JSONValue] {
        try text.split(separator: "\n").map { line in
            let value = try JSONValue.parse(String(line))
            #expect(value["type"]?.stringValue.map(types.contains) == true, "\(line)")
            return value
        }
    }

    @Test func everyJSONLineHasATypeAndAFailureIsAnErrorObjectToo() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        t.session.outputMode = .json
        let script = """
            version; echo hi; status; listen status; ping; users search; events; describe users add
            simulate event NewState exten=101 state=Ringing
            wait event NewState --timeout 5s
            users search number=nobody --ys
            """
        #expect(await t.run(script) == 2)
        let lines = try Self.typedLines(t.sink.standardOutput)
        let answer = try #require(lines.first { $0["command"]?.stringValue == "ping" })
        #expect(answer["type"]?.stringValue == "answer" && answer["time_ms"] != nil && answer["elapsed_ms"] == nil)
        #expect(lines.contains { $0["type"]?.stringValue == "event" && $0["name"]?.stringValue == "NewState" })
        let error = try #require(lines.last)
        #expect(error["type"]?.stringValue == "error" && error["exit_status"]?.intValue == 2, "\(error)")
        #expect(error["location"]?.stringValue == "test.simsh:4:1")
        #expect(t.sink.standardError.contains("error:"))
        await t.session.close()
    }

    @Test func outputAfterACommandIsForThatCommandAlone() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        #expect(await t.run("users search number=101 --output json\nversion") == 0, "\(t.sink.all)")
        let lines = t.sink.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix(#"{"type":"answer","command":"users search""#) == true, "\(lines)")
        #expect(lines.last?.hasPrefix("simsh ") == true, "\(lines)")  // back to the session's mode
        #expect(t.session.outputMode == .auto)
        #expect(await t.run("version --output xml") == 2)
        #expect(t.sink.standardError.contains("--output wants one of auto, table, pretty, json"))
        #expect(!t.sink.standardError.contains("--out "))
        await t.session.close()
    }

    @Test func listenEventsPrintsItsBannerOnStandardError() async throws {
        let t = TestSession()
        #expect(await t.run("listen events --port 0") == 0)
        #expect(t.sink.standardError.contains("listening on http://127.0.0.1:"))
        #expect(t.sink.standardOutput.isEmpty, "\(t.sink.standardOutput)")
        await t.session.close()
    }

    @Test func aComponentServiceAnsweringAnErrorStatusIsExit4() async throws {
        let failing = RecordingServer { _ in 500 }
        let url = try await failing.start()
        let ok = RecordingServer { _ in 200 }
        let okURL = try await ok.start()
        let t = TestSession()
        // A busy machine may take longer than Simotel's 1 s: 20 s here.
        #expect(await t.run("component call exten \(url)/ --timeout 20s") == 4, "\(t.sink.all)")
        #expect(t.sink.standardError.contains("HTTP 500"))
        // A 2xx reply that is not a component's reply stays an expectation failure.
        #expect(await t.run("component call exten \(okURL)/ --timeout 20s") == 1, "\(t.sink.all)")
        await failing.server.stop()
        await ok.server.stop()
    }

    @Test func shellCompletionOffersPathsEventFieldsAndExpectWords() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        #expect(await t.run("ping") == 0)
        let engine = CompletionEngine(
            profileNames: { [] }, variableValue: { t.session.value(path: $0) },
            variableNames: { Array(t.session.variables.keys) })
        func candidates(_ line: String) -> [String] {
            let r = engine.complete(line)
            return r.candidates.filter { $0.hasPrefix(r.word) }
        }
        #expect(candidates("expect $response.su") == ["$response.success"])
        #expect(candidates("echo $res") == ["$response"])
        #expect(candidates("expect s").contains("success"))
        #expect(candidates("simulate event NewState ex") == ["exten="])
        #expect(!candidates("simulate event NewState exten=1 ").contains("exten="))
        await t.session.close()
    }
}

extension SpawningTests {
    /// The process-level options after the command, and bash completing the API's words.
    @Suite struct CommandLineConventionsTests {
        @Test func outputAndQuietMayFollowAOneShotCommand() throws {
            let home = TempDir()
            let json = try spawnSimsh(["--demo", "users", "search", "number=101", "--output", "json"], home: home)
            #expect(json.status == 0, "\(json.stderr)")
            #expect(json.stdout.hasPrefix(#"{"type":"answer","command":"users search""#), "\(json.stdout)")
            let builtin = try spawnSimsh(["version", "--output", "json"], home: home)
            #expect(builtin.status == 0 && builtin.stdout.hasPrefix(#"{"type":"text","text":"simsh "#), "\(builtin)")
            let quiet = try spawnSimsh(["--demo", "ping", "--quiet"], home: home)
            #expect(quiet.status == 0 && quiet.stdout.isEmpty, "\(quiet.stdout)")
            let failing = try spawnSimsh(["--demo", "users", "search", "--nosuch", "-q"], home: home)
            #expect(failing.status == 2 && failing.stdout.isEmpty && failing.stderr.contains("error:"), "\(failing)")
        }

        @Test func bashCompletesTheAPIsResourcesActionsAndFields() throws {
            let home = TempDir()
            let env = ["SIMSH_CONFIG": home.file("c.toml"), "SIMSH_HISTFILE": home.file("h"), "NO_COLOR": "1"]
            let script = try spawnSimsh(["--generate-completion-script", "bash"], environment: env, home: home)
            try script.stdout.write(toFile: home.file("simsh.bash"), atomically: true, encoding: .utf8)
            let harness = """
                source \(home.file("simsh.bash"))
                comp() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _simsh simsh "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"; echo "${COMPREPLY[*]}"; }
                cd \(home.path)
                comp simsh use
                comp simsh users se
                comp simsh --demo users add numb
                comp simsh queues add-a
                comp simsh users add user_type =
                """
            var environment = env
            environment["PATH"] = (simshBinary as NSString).deletingLastPathComponent + ":/usr/bin:/bin"
            let bash = try ChildProcess("/bin/bash", ["-c", harness], environment: environment)
            #expect(bash.wait() == 0, "\(bash.stderr)")
            #expect(
                bash.stdout.split(separator: "\n").map(String.init) == [
                    "users", "search", "number=", "add-agent", "SIP IAX2",
                ],
                "\(bash.stdout) \(bash.stderr)")
            // zsh and fish (not on this machine) ask simsh the same way.
            for shell in ["zsh", "fish"] {
                let text = try spawnSimsh(["--generate-completion-script", shell], environment: env, home: home).stdout
                #expect(text.contains("---completion shell -- --command-words"), "\(shell)")
            }
        }
    }
}
