import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshLanguage
@testable import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Secrets in their remaining forms (issue 21, point 5): what `record` writes, `-H` credential
/// headers, a receiver's password, escaped forms, private lines, the recording's mode, secrets
/// from the environment or a file.
@Suite struct SecretFormsTests {
    /// A session recording to a file in its directory.
    static func recording(_ t: TestSession) throws -> Recorder {
        let recorder = try Recorder(path: t.dir.file("rec.simsh"))
        t.session.recorder = recorder
        return recorder
    }

    static func text(_ recorder: Recorder) throws -> String {
        try String(contentsOfFile: recorder.path, encoding: .utf8)
    }

    @Test func aSetOfASecretVariableIsRecordedAsASecretCommandAndReplays() async throws {
        let t = TestSession()
        let recorder = try Self.recording(t)
        let entries = [#"set api_token = "Tok3n-Value-1""#, "set mytoken Tok3n-Value-2", "set db_password=Pw-Value-3"]
        for entry in entries {
            try recorder.add(entry, status: 0, session: t.session)
        }
        // Only a variable reference: nothing secret in it, kept as typed.
        try recorder.add("set other_token $api_token", status: 0, session: t.session)
        let text = try Self.text(recorder)
        #expect(!text.contains("Tok3n-Value") && !text.contains("Pw-Value") && !text.contains("****"), "\(text)")
        for name in ["api_token", "mytoken", "db_password"] {
            #expect(text.contains("\nsecret \(name)\n"), "\(text)")
            #expect(text.contains("# needs $\(name): simsh --secret-env \(name) FILE"), "\(text)")
        }
        #expect(text.contains("\nset other_token $api_token\n"), "\(text)")
        // The history masks the same lines.
        #expect(HistoryStore.entry(for: #"set api_token = "Tok3n-Value-1""#) == "set api_token = ****")
        #expect(HistoryStore.entry(for: "set mytoken Tok3n-Value-2") == "set mytoken ****")
        #expect(HistoryStore.entry(for: "set mytoken=Tok3n-Value-2") == "set mytoken=****")

        // Replayed, each takes its value from the environment and masks it.
        let replay = TestSession(
            environment: ["api_token": "Replay-1x", "mytoken": "Replay-2x", "db_password": "Replay-3x"])
        #expect(await replay.interpreter.runScriptFile(recorder.path, arguments: []) == 0, "\(replay.sink.all)")
        #expect(replay.session.textVariables["mytoken"] == "Replay-2x")
        #expect(replay.session.textVariables["other_token"] == "Replay-1x")
        #expect(await replay.run("echo $mytoken") == 0)
        #expect(!replay.sink.standardOutput.contains("Replay-2x"), "\(replay.sink.standardOutput)")
    }

    @Test func aURLPasswordIsRecordedAsAVariableNeverAsAMask() throws {
        let t = TestSession()
        let recorder = try Self.recording(t)
        try recorder.add("connect http://admin:Url-Pass-4@127.0.0.1:9 --user admin", status: 0, session: t.session)
        let text = try Self.text(recorder)
        #expect(text.contains(#"connect "http://admin:${PASSWORD}@127.0.0.1:9" --user admin"#), "\(text)")
        #expect(!text.contains("Url-Pass-4") && !text.contains("****"), "\(text)")
        #expect(text.contains("# needs $PASSWORD:"), "\(text)")
    }

    @Test func aMaskedURLPasswordIsNeverSent() async throws {
        #expect(Redactor.maskedSecret(in: ["connect", "http://admin:****@127.0.0.1:9"]) == "password")
        let t = TestSession()
        #expect(await t.interpreter.runInteractive("connect http://admin:****@127.0.0.1:9") == .status(2))
        #expect(t.sink.standardError.contains("masked"), "\(t.sink.standardError)")
        #expect(t.session.active == nil)
    }

    @Test func credentialHeadersAreMaskedInHistoryAndRecordedAsVariables() async throws {
        let line =
            "listen events --forward-to http://127.0.0.1:9/ -H 'Authorization: Bearer Bear3r-Tok' "
            + "-H 'X-APIKEY: K3y-Value-5' -H 'Content-Type: text/plain'"
        #expect(
            HistoryStore.entry(for: line)
                == "listen events --forward-to http://127.0.0.1:9/ -H 'Authorization: Bearer ****' "
                + "-H 'X-APIKEY: ****' -H 'Content-Type: text/plain'")
        let masked = try #require(try Lexer.parse(HistoryStore.entry(for: line)!, file: "-").first)
        #expect(Redactor.maskedSecret(in: masked.words.map { $0.literalText ?? "" }) == "Authorization")

        let t = TestSession()
        let recorder = try Self.recording(t)
        try recorder.add(line, status: 0, session: t.session)
        let text = try Self.text(recorder)
        #expect(text.contains(#"-H "Authorization: Bearer ${AUTHORIZATION}""#), "\(text)")
        #expect(text.contains(#"-H "X-APIKEY: ${X_APIKEY}""#), "\(text)")
        #expect(text.contains("-H 'Content-Type: text/plain'"), "\(text)")
        #expect(!text.contains("Bear3r-Tok") && !text.contains("K3y-Value-5") && !text.contains("****"), "\(text)")

        // Once the listener forwards with it, the credential is masked wherever simsh writes.
        let listen = "listen events --forward-to http://127.0.0.1:9/ -H 'Authorization: Bearer Bear3r-Tok-12'"
        #expect(await t.run(listen) == 0)
        #expect(await t.run("echo Bear3r-Tok-12") == 0)
        #expect(!t.sink.all.contains("Bear3r-Tok-12"), "\(t.sink.all)")
        await t.session.close()
    }

    @Test func aReceiversPasswordIsASecret() async throws {
        let t = TestSession(environment: ["RECV_PW": "Comp-Env-Pw-7"])
        let url = "http://127.0.0.1:\(closedPort())/"
        #expect(await t.run("component call exten \(url) --user u --password Comp-Pass-6") == 3)
        #expect(await t.run("component call exten \(url) --user u --password-env RECV_PW") == 3)
        #expect(await t.run("echo Comp-Pass-6 Comp-Env-Pw-7") == 0)
        #expect(t.sink.standardOutput.contains("**** ****"), "\(t.sink.standardOutput)")
        #expect(!t.sink.all.contains("Comp-Pass-6") && !t.sink.all.contains("Comp-Env-Pw-7"), "\(t.sink.all)")
        // A password needs a user; one way of giving it.
        #expect(await t.run("component call exten \(url) --password-env RECV_PW") == 2)
        #expect(await t.run("component call exten \(url) --user u --password x --password-env RECV_PW") == 2)
    }

    @Test func aSecretWithQuotesAndBackslashesIsMaskedInItsEscapedForms() {
        let t = TestSession()
        let secret = #"Qx"Zy\Wv-7"#
        t.session.secrets.add(secret)
        let body = JSONValue.object([("password", .string(secret))])
        t.session.output.line(body.serialized(pretty: true))
        t.session.outputMode = .json
        // A line that is JSON, wrapped as JSON: the secret is escaped twice.
        t.session.output.line(body.serialized())
        t.session.output.json(.object([("reply", .string(body.serialized()))]))
        let out = t.sink.standardOutput
        #expect(!out.contains("Zy"), "\(out)")
        #expect(out.split(separator: "\n").count == 5 && out.contains("****"), "\(out)")

        // As other JSON writers escape it: `\/`, `\u00e4`.
        let values = SecretValues()
        values.add("pä/ss-8")
        #expect(values.redact(#"{"p":"p\u00e4\/ss-8"}"#) == #"{"p":"****"}"#)
        #expect(values.redact(#"{"p":"pä\/ss-8"}"#) == #"{"p":"****"}"#)
    }

    @Test func aLineTypedWithALeadingSpaceIsNotRecorded() throws {
        let t = TestSession()
        let recorder = try Self.recording(t)
        t.session.recordEntry(" echo private-line-8", status: 0)
        t.session.recordEntry("\techo private-line-9", status: 0)
        t.session.recordEntry("echo public-line-10", status: 0)
        let text = try Self.text(recorder)
        #expect(!text.contains("private-line"), "\(text)")
        #expect(text.contains("\necho public-line-10\n"), "\(text)")
    }

    @Test func aRecordingIsPrivate() throws {
        let t = TestSession()
        // Replacing a file that others could read makes it private too.
        FileManager.default.createFile(
            atPath: t.dir.file("rec.simsh"), contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644])
        let recorder = try Self.recording(t)
        try recorder.add("echo hello", status: 0, session: t.session)
        var st = stat()
        #expect(stat(recorder.path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
    }

    @Test func secretsFromTheEnvironmentOrAFile() throws {
        let t = TestSession(environment: ["PW": "Env-Secret-10", "OTHER": "Env-Secret-11"])
        try "File-Secret-12\n".write(toFile: t.dir.file("pw"), atomically: true, encoding: .utf8)
        var options = ScriptOptions.defaults
        options.secretEnvironment = ["PW", "RENAMED=OTHER"]
        options.secretFiles = ["FROM_FILE=\(t.dir.file("pw"))"]
        try options.apply(to: t.session, interpreter: t.interpreter)
        #expect(t.session.textVariables["PW"] == "Env-Secret-10")
        #expect(t.session.textVariables["RENAMED"] == "Env-Secret-11")
        #expect(t.session.textVariables["FROM_FILE"] == "File-Secret-12")
        #expect(t.session.secrets.redact("Env-Secret-10 Env-Secret-11 File-Secret-12") == "**** **** ****")

        var unset = ScriptOptions.defaults
        unset.secretEnvironment = ["NOT_SET_ANYWHERE"]
        #expect(throws: SimshError.self) { try unset.apply(to: t.session, interpreter: t.interpreter) }
        var missing = ScriptOptions.defaults
        missing.secretFiles = ["X=\(t.dir.file("no-such-file"))"]
        #expect(throws: SimshError.self) { try missing.apply(to: t.session, interpreter: t.interpreter) }
    }
}

extension SpawningTests {
    @Suite struct SecretProcessTests {
        @Test func secretEnvGivesAMaskedVariableWithoutTheProcessList() throws {
            let home = TempDir()
            let r = try spawnSimsh(
                ["--secret-env", "PW=MY_PW_VAR", "-c", "echo $PW; secret PW"],
                environment: ["MY_PW_VAR": "Env-Secret-13"], home: home)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == "****\n", "\(r.stdout)")
            let unset = try spawnSimsh(["--secret-env", "NOT_SET_ANYWHERE", "-c", "echo x"], home: home)
            #expect(unset.status == 2, "\(unset.stdout) \(unset.stderr)")
            #expect(unset.stderr.contains("NOT_SET_ANYWHERE"), "\(unset.stderr)")
        }

        /// The core file size limit, soft and hard, of a process (from /proc).
        static func coreLimits(_ pid: String) -> (soft: String, hard: String)? {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") })
            else { return nil }
            let fields = line.split(separator: " ")
            return fields.count >= 6 ? (String(fields[4]), String(fields[5])) : nil
        }

        /// simsh started with the soft core limit raised as far as it goes, and its limit once it runs.
        static func coreLimit(environment extra: [String: String]) throws -> String? {
            let home = TempDir()
            var env = ProcessInfo.processInfo.environment
            env["HOME"] = home.path
            env["SIMSH_CONFIG"] = home.file("config/config.toml")
            env["SIMSH_HISTFILE"] = home.file("state/history")
            env["SIMSH_CORE_DUMPS"] = nil
            for (k, v) in extra { env[k] = v }
            let child = try ChildProcess(
                "/bin/sh",
                ["-c", #"ulimit -S -c "$(ulimit -H -c)" 2>/dev/null; exec "$0" -c 'sleep 5s'"#, simshBinary],
                environment: env)
            defer { child.stop() }
            let pid = String(child.pid)
            // Once simsh runs (after the exec) and has started up.
            child.waitFor(timeout: 15) {
                (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("simsh") == true
            }
            if extra["SIMSH_CORE_DUMPS"] == nil {
                child.waitFor(timeout: 15) { coreLimits(pid)?.soft == "0" }
            } else {
                usleep(500_000)
            }
            return coreLimits(pid)?.soft
        }

        @Test func noCoreDumpsUnlessAskedFor() throws {
            #expect(try Self.coreLimit(environment: [:]) == "0")
            // Only measurable where the hard limit lets a core be asked for.
            if let hard = Self.coreLimits("self")?.hard, hard != "0" {
                #expect(try Self.coreLimit(environment: ["SIMSH_CORE_DUMPS": "1"]) == hard)
            }
        }
    }
}
