import Foundation
import Testing

@testable import SimshCommands
@testable import SimshLanguage

/// `$?`, and paths into the last answer and event that do not exist (issue 9, point 4).
@Suite struct VariablesTests {
    @Test func dollarQuestionIsThePreviousCommandsStatus() async throws {
        let t = TestSession()
        #expect(await t.interpreter.runInteractive("echo first $?") == .status(0))
        #expect(await t.interpreter.runInteractive("ping") == .status(2))  // not connected: usage
        #expect(await t.interpreter.runInteractive("echo after $?") == .status(0))
        #expect(await t.interpreter.runInteractive("echo again $?") == .status(0))
        #expect(t.sink.standardOutput == "first 0\nafter 2\nagain 0\n")
        await t.session.close()
    }

    @Test func aPathNotInTheAnswerIsAnUndefinedVariable() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        #expect(await t.run("users search number=99999") == 0)
        #expect(await t.run("echo $response.success") == 0)
        // The list is empty: `.0._id` is not in it, and is not "[]" followed by ".0._id".
        #expect(await t.run("echo $response.data.data.0._id") == 2)
        #expect(t.sink.standardError.contains("undefined variable $response.data.data.0._id"))
        #expect(!t.sink.standardOutput.contains("[].0._id"))
        // Other variables keep their fallback: `$file.txt` is $file then `.txt`.
        #expect(await t.run("set file report; echo $file.txt") == 0)
        #expect(t.sink.standardOutput.hasSuffix("report.txt\n"))
        await t.session.close()
    }
}

/// Start-up and profiles (issue 9, point 6).
@Suite struct StartupProfileTests {
    func sessionWithConfig(_ toml: String, environment: [String: String] = [:]) throws -> TestSession {
        let t = TestSession(environment: environment)
        try FileManager.default.createDirectory(atPath: t.dir.file("config"), withIntermediateDirectories: true)
        try toml.write(toFile: t.dir.file("config/config.toml"), atomically: true, encoding: .utf8)
        return t
    }

    @Test func aDefaultProfileThatCannotConnectWarnsAndStartsUnconnected() async throws {
        let t = try sessionWithConfig(
            """
            default_profile = "prod"
            [profiles.prod]
            url = "http://127.0.0.1:9"
            user = "api"
            password_env = "NOT_SET_FOR_THIS_TEST"
            """)
        try await t.session.connectAtStart(profile: nil)
        #expect(t.session.active == nil)
        #expect(t.sink.standardError.contains("warning: default profile prod not connected"))
        #expect(t.sink.standardError.contains("NOT_SET_FOR_THIS_TEST is not set"))
        #expect(await t.run("profile remove prod") == 0)  // still reachable
        // Asked for by name (-p), the same profile is an error.
        let named = try sessionWithConfig(
            "[profiles.prod]\nurl = \"http://127.0.0.1:9\"\npassword_env = \"NOT_SET_X\"\n")
        await #expect(throws: SimshError.self) { try await named.session.connectAtStart(profile: "prod") }
    }

    @Test func connectSaveOverAnExistingProfileNeedsForceInScripts() async throws {
        let t = try sessionWithConfig("[profiles.lab]\nurl = \"http://127.0.0.1:1\"\n")
        #expect(await t.run("connect http://127.0.0.1:2 --save lab") == 2)
        #expect(t.sink.standardError.contains("profile lab already exists; add --force to replace it"))
        #expect(try t.session.profiles.profile(named: "lab")?.url == "http://127.0.0.1:1")
        #expect(await t.run("connect http://127.0.0.1:2 --save lab --force --no-check") == 0)
        #expect(try t.session.profiles.profile(named: "lab")?.url == "http://127.0.0.1:2")
        await t.session.close()
    }

    @Test func profileSubcommandsCompleteSavedProfilesOnly() {
        let engine = CompletionEngine(profileNames: { ["demo", "lab"] }, savedProfileNames: { ["lab"] })
        #expect(engine.complete("profile show ").candidates == ["lab"])
        #expect(engine.complete("connect ").candidates == ["demo", "lab"])
    }
}
