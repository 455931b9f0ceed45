import Foundation
import SimshTesting
import Testing

@testable import SimshRuntime

/// `-v` and `trace on` show everything simsh sends as they show API calls (issue 23, point 5):
/// component calls, `simulate event`, `simulate call`'s steps, `events resend` and forwarding,
/// `>`/`<` lines with headers and bodies, credentials masked.
@Suite struct TracesTests {
    /// The trace lines written so far (standard error), as `> …` and `< …`.
    static func traced(_ t: TestSession) -> [String] {
        t.sink.standardError.split(separator: "\n").map(String.init).filter { $0.hasPrefix("> ") || $0.hasPrefix("< ") }
    }

    @Test func webhooksSimshSendsAreTracedWithSecretsMasked() async throws {
        let receiver = RecordingServer()
        let url = try await receiver.start()
        let t = TestSession(environment: ["HOOK_PW": "Hook-Secret-9"])
        #expect(await t.run("trace on") == 0)

        #expect(await t.run("simulate event NewState exten=101 --to \(url)/hook") == 0, "\(t.sink.all)")
        var lines = Self.traced(t)
        #expect(lines.contains("> POST /hook"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("> ") && $0.contains(#""event_name":"NewState""#) }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("< 200 OK") }, "\(lines)")

        let call = "component call exten \(url)/exten src=100 --user u --password-env HOOK_PW --timeout 20s"
        _ = await t.run(call)
        lines = Self.traced(t)
        #expect(lines.contains("> POST /exten"), "\(lines)")
        #expect(lines.contains("> Authorization: Basic ****"), "\(lines)")

        // A forward and a resend of a recorded event.
        let forward = "listen events --port 0 --forward-to \(url)/fwd -H \"Authorization: Bearer Tok-Secret-7\""
        #expect(await t.run(forward) == 0, "\(t.sink.all)")
        #expect(await t.run("simulate event Ping") == 0, "\(t.sink.all)")
        let deadline = ContinuousClock.now + .seconds(20)
        while !Self.traced(t).contains("> POST /fwd"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        lines = Self.traced(t)
        #expect(lines.contains("> POST /fwd"), "\(lines)")
        #expect(lines.contains("> Authorization: Bearer ****"), "\(lines)")
        #expect(await t.run("events resend 1 --to \(url)/again") == 0, "\(t.sink.all)")
        #expect(Self.traced(t).contains("> POST /again"), "\(Self.traced(t))")

        // Tracing off: nothing more.
        let before = Self.traced(t).count
        #expect(await t.run("trace off\nsimulate event Ping --to \(url)/quiet") == 0)
        #expect(Self.traced(t).count == before)
        #expect(!t.sink.all.contains("Hook-Secret-9") && !t.sink.all.contains("Tok-Secret-7"))
        await t.session.close()
        await receiver.server.stop()
    }

    @Test func aWalksStepsAreTraced() async throws {
        let (server, url) = try await DialplanTests.scenarioService()
        let dir = TempDir()
        let path = try DialplanTests.plan(url, in: dir)
        let t = TestSession()
        // A busy machine may take longer than Simotel's 1 s: 20 s here.
        #expect(
            await t.run("trace on\nsimulate call --dialplan \(path) --digits 2 --timeout 20s") == 0, "\(t.sink.all)")
        let posts = Self.traced(t).filter { $0.hasPrefix("> POST") }
        #expect(posts.count == 2, "\(Self.traced(t))")
        #expect(Self.traced(t).contains { $0.hasPrefix("< ") && $0.contains("Exit(") }, "\(Self.traced(t))")
        await server.stop()
    }
}
