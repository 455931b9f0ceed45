import Foundation
import HTTPServerKit
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands

/// `simulate call --dialplan` (issue 11, point 3): the two Smart API components of webhooks.md
/// §6.5's scenario, walked against a service that answers as the documentation does.
@Suite struct DialplanTests {
    /// `s1` greets, reads one digit and exits `go-s2`; `s2` routes on the digit.
    static func scenarioService(s1Reply: String? = nil) async throws -> (HTTPServer, String) {
        let server = HTTPServer { request in
            let body = (try? JSONValue.parse(request.body)) ?? .null
            switch body["app_name"]?.stringValue {
            case "s1":
                return .json(
                    200,
                    s1Reply
                        ?? #"{"ok":"1","commands":"PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')"}"#
                )
            case "s2":
                return .json(
                    200,
                    body["data"]?.stringValue == "2"
                        ? #"{"ok":"1","commands":"Exit('go-b');"}"# : #"{"ok":"1","commands":"Exit('go-a');"}"#)
            default:
                return .json(200, #"{"ok":"0"}"#)
            }
        }
        let port = try await server.start(host: "127.0.0.1", port: 0)
        return (server, "http://127.0.0.1:\(port)/")
    }

    static func plan(_ url: String, in dir: TempDir) throws -> String {
        let path = dir.file("scenario.toml")
        try """
        start = "s1"

        [components.s1]
        kind = "smart"
        url = "\(url)"
        cases = { go-s2 = "s2", e = "hangup" }

        [components.s2]
        kind = "smart"
        url = "\(url)"
        cases = { go-a = "route A (queue 900)", go-b = "route B (queue 901)" }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func digitTwoReachesRouteBAndDigitOneRouteA() async throws {
        let (server, url) = try await Self.scenarioService()
        let dir = TempDir()
        let path = try Self.plan(url, in: dir)
        await Self.expectBothRoutes(path)
        await server.stop()
    }

    /// The §6.5 walk for digit 2 (route B) and digit 1 (route A), step by step. A busy test
    /// machine may take longer than Simotel's 1 s: the walk gets 20 s.
    static func expectBothRoutes(_ plan: String) async {
        for (digit, route) in [("2", "route B (queue 901)"), ("1", "route A (queue 900)")] {
            let t = TestSession()
            let status = await t.run(
                "simulate call --dialplan \(plan) --src 09155441 --dst 789 --digits \(digit) --timeout 20s")
            #expect(status == 0, "\(t.sink.all)")
            let lines = t.sink.standardOutput.split(separator: "\n").map(String.init)
            // The file used first (issue 23, point 2), then one line per step.
            #expect(lines.first == "dialplan \(URL(fileURLWithPath: plan).standardizedFileURL.path)", "\(lines)")
            #expect(lines.dropFirst().first?.hasPrefix("s1 (Smart API) data=\"\": ") == true, "\(lines)")
            #expect(lines.contains("  GetData('enter-data-file', 10, 1) → caller entered \(digit)"), "\(lines)")
            #expect(lines.contains("  → go-s2: s2"))
            #expect(lines.contains { $0.hasPrefix("s2 (Smart API) data=\(digit): ") })
            #expect(lines.last == "call reached \(route)", "\(lines)")
        }
    }

    @Test func aBadReplyLeavesThroughEAndFails() async throws {
        let (server, url) = try await Self.scenarioService(
            s1Reply: #"{"ok":"1","commands":"MusicOnHold(‘default’, 60)"}"#)
        let dir = TempDir()
        let t = TestSession()
        let status = await t.run("simulate call --dialplan \(try Self.plan(url, in: dir)) --digits 2 --timeout 20s")
        #expect(status == 1, "\(t.sink.all)")
        #expect(t.sink.standardOutput.contains("  bad reply: commands: column 13: typographic quote ‘"))
        #expect(t.sink.standardOutput.contains("  → e: hangup"))
        #expect(t.sink.standardError.contains("the call failed: s1: bad reply, left through output e to hangup"))
        await server.stop()
        // A case naming no component is a mistake in the plan, not an end.
        let typo = dir.file("typo.toml")
        try "[components.s1]\nkind = \"smart\"\nurl = \"\(url)\"\ncases = { go = \"nowhere\" }\n".write(
            toFile: typo, atomically: true, encoding: .utf8)
        let bad = TestSession()
        #expect(await bad.run("simulate call --dialplan \(typo)") == 2)
        #expect(bad.sink.standardError.contains("cases.go = 'nowhere' names no component"), "\(bad.sink.all)")
        // A service that is not there: no reply within the deadline, output e.
        let gone = TestSession()
        let plan = try Self.plan("http://127.0.0.1:\(closedPort())/", in: dir)
        #expect(await gone.run("simulate call --dialplan \(plan)") == 1)
        #expect(gone.sink.standardOutput.contains("s1 (Smart API): no reply: "))
    }
}

extension DialplanTests {
    /// README's "Testing a Smart API service" check passes against a service that follows the
    /// scenario, and fails (exit 1, at its line) against one that routes digit 2 wrongly.
    @Test func theReadmeSmartServiceCheck() async throws {
        let path = packageRoot + "/examples/smart-service.simsh"
        let readme = try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
        let script = try String(contentsOfFile: path, encoding: .utf8)
        for line in script.split(separator: "\n") where line.hasPrefix("component") || line.hasPrefix("expect") {
            #expect(readme.contains(line), "README lacks: \(line)")
        }
        let (server, url) = try await Self.scenarioService()
        // A busy test machine may take longer than Simotel's 1 s.
        let t = TestSession(environment: ["SERVICE": url, "TIMEOUT": "20s"])
        #expect(await t.interpreter.runScriptFile(path, arguments: []) == 0, "\(t.sink.standardError)")
        await server.stop()
        let wrong = HTTPServer { _ in .json(200, #"{"ok":"1","commands":"Exit('go-a')"}"#) }
        let port = try await wrong.start(host: "127.0.0.1", port: 0)
        let u = TestSession(environment: ["SERVICE": "http://127.0.0.1:\(port)/", "TIMEOUT": "20s"])
        #expect(await u.interpreter.runScriptFile(path, arguments: []) == 1)
        #expect(
            u.sink.standardError.contains("smart reply: commands: column 1: Exit('go-a'): no such case (cases: go-s2)"),
            "\(u.sink.standardError)")
        #expect(u.sink.standardError.contains("smart-service.simsh:9:1: error: invalid Smart API reply"))
        await wrong.stop()
    }
}

extension SpawningTests {
    @Suite struct DialplanRulesTests {
        /// The §6.5 scenario walked against a second simsh answering both components from rules:
        /// `s1` a fixed Smart API script, `s2` a rule script routing on the digit (issue 11, point 7).
        @Test func theScenarioWalksAgainstRulesAnsweredByASecondSimsh() async throws {
            let home = TempDir()
            let route = home.file("route.simsh")
            try """
            if $request.data == "2"
              reply commands="Exit('go-b')"
            else
              reply commands="Exit('go-a')"
            end
            """.write(toFile: route, atomically: true, encoding: .utf8)
            let rules = home.file("rules.simsh")
            try """
            listen events --port 0
            answer smart s1 "PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')"
            answer smart s2 --script route.simsh --within 20s
            echo ready
            sleep 120
            """.write(toFile: rules, atomically: true, encoding: .utf8)
            let child = try startSimsh([rules], home: home)
            defer { child.stop() }
            let found = child.waitForListenerURL().map { $0 + "/" }
            let url = try #require(found, "\(child.stdout) \(child.stderr)")
            #expect(child.waitForOutput("ready") != nil, "\(child.stdout) \(child.stderr)")
            let plan = try DialplanTests.plan(url, in: home)
            // The rule itself may take 20 s on a busy machine (--within).
            await DialplanTests.expectBothRoutes(plan)
        }
    }
}
