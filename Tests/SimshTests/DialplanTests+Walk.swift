import Foundation
import SimshTesting
import Testing

@testable import SimshCommands

/// Dialplans you can check (issue 23, point 2): the file beside the script, components answered
/// by the session's listener, `${NAME}` in the file, IVR API digits, `$walk` and `$listener`.
extension DialplanTests {
    /// An IVR routing on the digit typed (`menu`, no url: the listener's rule), a Smart API
    /// component (`url = "listener"`) and an Exten API component at `${listener.url}`.
    static let listenerPlan = """
        start = "menu"

        [components.menu]
        kind = "ivr"
        cases = { 1 = "queue 900", 2 = "sales", e = "hangup" }

        [components.sales]
        kind = "smart"
        url = "listener"
        cases = { go = "desk" }

        # ${NOT_SET} in a comment line is left alone.
        [components.desk]
        kind = "exten"
        url = "${listener.url}"
        """

    /// The check a CI would run, beside its dialplan and rule script; the listener answers
    /// every component. A busy test machine may take longer than Simotel's 1 s: 20 s here.
    static let listenerCheck = """
        listen events --port 0
        expect $listener.url contains "http://127.0.0.1:"
        answer ivr menu --script route.simsh --within 20s
        answer smart sales "SayDigit(007); Exit('go')"
        answer exten desk extension=120
        simulate call --dialplan plan.toml --digits 2 --timeout 20s
        expect $walk.end == "extension 120"
        expect $walk.ok == true
        expect $walk.path == ["menu", "sales", "desk"]
        expect $walk.steps[0].kind == "ivr"
        expect $walk.steps[0].request.data == "2"
        expect $walk.steps[0].reply.case == "2"
        expect $walk.steps[0].output == "2"
        expect $walk.steps[1].reply.commands == "SayDigit(007); Exit('go')"
        expect $walk.steps[2].reply.extension == "120"
        expect $walk.steps[2].output == null
        simulate call --dialplan plan.toml --digits 1 --timeout 20s
        expect $walk.end == "queue 900"
        expect $walk.path == ["menu"]
        expect fail 1
        simulate call --dialplan plan.toml --digits 9 --timeout 20s
        expect $walk.end == "output e"
        expect $walk.ok == false
        expect $walk.reason == "menu: case 9 is not one of its outputs, left through output e to hangup"
        """

    @Test func digitTwoEndsInExtension120ThroughTheListener() async throws {
        let dir = TempDir()
        try "reply case=$request.data\n".write(toFile: dir.file("route.simsh"), atomically: true, encoding: .utf8)
        try Self.listenerPlan.write(toFile: dir.file("plan.toml"), atomically: true, encoding: .utf8)
        let t = TestSession()
        // Run as the file check.simsh in `dir`: plan.toml and route.simsh are found beside it,
        // not in the current directory.
        let status = await t.interpreter.runScript(
            Self.listenerCheck, file: "check.simsh", sourcePath: dir.file("check.simsh"))
        await t.session.close()
        #expect(status == 0, "\(t.sink.all)")
        let out = t.sink.standardOutput
        #expect(out.contains("dialplan \(URL(fileURLWithPath: dir.file("plan.toml")).standardizedFileURL.path)\n"))
        #expect(out.contains("menu (IVR API) data=2: "), "\(out)")
        // The number as the service wrote it, not SayDigit(7).
        #expect(out.contains("  SayDigit(007)\n"), "\(out)")
        #expect(out.contains("call reached extension 120"), "\(out)")
    }

    @Test func namesInTheFileExpandFromVariablesThenTheEnvironment() async throws {
        let (server, url) = try await Self.scenarioService()
        let dir = TempDir()
        let path = try Self.plan("${SERVICE}", in: dir)
        // The environment's SERVICE goes nowhere; the session's variable wins.
        let gone = "http://127.0.0.1:\(closedPort())/"
        let t = TestSession(environment: ["SERVICE": gone])
        let status = await t.run(
            "set SERVICE \(url)\nsimulate call --dialplan \(path) --digits 2 --timeout 20s\n"
                + "expect $walk.end == \"route B (queue 901)\"")
        #expect(status == 0, "\(t.sink.all)")
        let env = TestSession(environment: ["SERVICE": url])
        #expect(await env.run("simulate call --dialplan \(path) --digits 1 --timeout 20s") == 0, "\(env.sink.all)")
        #expect(env.sink.standardOutput.contains("call reached route A (queue 900)"))
        await server.stop()
        // An unknown name is an error naming it and its line.
        let unset = TestSession()
        #expect(await unset.run("simulate call --dialplan \(path)") == 2)
        #expect(
            unset.sink.standardError.contains("scenario.toml:5: ${SERVICE} is not set"), "\(unset.sink.standardError)")
    }

    @Test func aComponentWithoutURLNeedsAListener() async throws {
        let dir = TempDir()
        try Self.listenerPlan.replacingOccurrences(of: "${listener.url}", with: "listener")
            .write(toFile: dir.file("plan.toml"), atomically: true, encoding: .utf8)
        let t = TestSession()
        #expect(await t.run("simulate call --dialplan \(dir.file("plan.toml"))") == 2)
        #expect(
            t.sink.standardError.contains(
                "component desk has no url and no listener is running (listen events starts one)"),
            "\(t.sink.standardError)")
        // `$listener` is missing without a listener, and simsh's own.
        let u = TestSession()
        #expect(await u.run("expect not (exists $listener.url)") == 0, "\(u.sink.all)")
        #expect(await u.run("set listener = 1") == 2)
    }
}
