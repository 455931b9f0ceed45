import Foundation
import SimotelKit
import SimshTesting
import Testing

/// `simsh test` end to end: progress, summary, exit status, reports read by independent
/// parsers, and no secret anywhere (issue 10, points 4, 5, 9).
extension SpawningTests {
    /// Blocking waits for children hold a thread of the test process: these run one at a time,
    /// with the other spawning suites.
    @Suite struct SimshTestCommandTests {}
}

extension SpawningTests.SimshTestCommandTests {
    static let password = "Pw-9f83kq"
    static let apiKey = "KeyZ72hHq0x"
    static let secret = "TopSecret123"

    @Test func runsFilesAsCasesWithReportsAndNoSecretAnywhere() throws {
        let home = TempDir()
        let sim = try SimulatorProcess(
            ["--user", "tester", "--password", Self.password, "--api-key", Self.apiKey], home: home)
        defer { _ = sim.stop() }
        let dir = TempDir()
        try Self.writeChecks(in: dir)
        let env = [
            "SIMSH_URL": sim.url, "SIMSH_USER": "tester", "SIMSH_PASSWORD": Self.password, "SIMSH_API_KEY": Self.apiKey,
        ]
        let r = try spawnSimsh(
            [
                "test", dir.file("checks"), "--jobs", "2", "-v", "--secret", "PW=\(Self.secret)",
                "--report-junit", dir.file("out.xml"), "--report-tap", dir.file("out.tap"), "--report-html",
                dir.file("report"),
            ], environment: env, home: home)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let checks = dir.file("checks")
        Self.expectProgressAndSummary(r.stdout, checks: checks)
        // The reports, read by parsers that are not simsh's.
        guard let tap = try Self.expectReportsReadByOtherParsers(in: dir, checks: checks) else { return }
        // No secret in any output or report, in any form.
        try Self.expectNoSecretAnywhere(r, tap: tap, in: dir)
    }

    /// The checks `runsFilesAsCasesWithReportsAndNoSecretAnywhere` runs: one passing, one failing,
    /// one in error (in a subdirectory), and a file that is not a check.
    static func writeChecks(in dir: TempDir) throws {
        try FileManager.default.createDirectory(atPath: dir.file("checks/sub"), withIntermediateDirectories: true)
        try """
        ping
        expect success
        expect $response.status == 200
        """.write(toFile: dir.file("checks/pass.simsh"), atomically: true, encoding: .utf8)
        try """
        echo the secret is $PW
        users search
        expect status 404
        """.write(toFile: dir.file("checks/fail.simsh"), atomically: true, encoding: .utf8)
        try "call pbx/users/search '{\"alike\":true}'\nnosuchcommand $PW\n".write(
            toFile: dir.file("checks/sub/error.simsh"), atomically: true, encoding: .utf8)
        try "not a check\n".write(toFile: dir.file("checks/notes.txt"), atomically: true, encoding: .utf8)
    }

    /// Each file's progress, the summary, and where the failure and the error are.
    static func expectProgressAndSummary(_ stdout: String, checks: String) {
        for line in [
            "\(checks)/pass.simsh: RUNNING", "\(checks)/fail.simsh: RUNNING", "\(checks)/sub/error.simsh: RUNNING",
            "Executed files:  3", "Succeeded files: 1 (33.3%)", "Failed files:    2 (66.7%)",
        ] {
            #expect(stdout.contains(line + "\n"), "missing \(line)")
        }
        #expect(stdout.contains("\(checks)/pass.simsh: SUCCESS ("))
        #expect(stdout.contains("\(checks)/fail.simsh: FAILURE ("))
        #expect(stdout.contains("\(checks)/fail.simsh:3:8: expect failed: status 404 (actual: 200)"))
        #expect(stdout.contains("\(checks)/sub/error.simsh:2:1: error: unknown command 'nosuchcommand'"))
    }

    /// The JUnit and HTML reports as Python reads them, and the TAP report; returns the TAP text,
    /// or nil (an issue recorded) when the JUnit report has no cases.
    static func expectReportsReadByOtherParsers(in dir: TempDir, checks: String) throws -> String? {
        let parsed = try ChildProcess(
            "/usr/bin/python3",
            [
                packageRoot + "/Tests/SimshTests/Fixtures/check_reports.py", dir.file("out.xml"),
                dir.file("report/index.html"),
            ])
        #expect(parsed.wait(timeout: 30) == 0, "\(parsed.stderr)")
        let report = try JSONValue.parse(parsed.stdout)
        guard case .array(let cases)? = report["cases"] else {
            Issue.record("no cases: \(parsed.stdout)")
            return nil
        }
        #expect(cases.count == 3)
        let byName = Dictionary(uniqueKeysWithValues: cases.map { ($0["name"]?.stringValue ?? "", $0) })
        func firstResult(_ name: String) -> JSONValue? {
            guard case .array(let results)? = byName[name]?["results"] else { return nil }
            return results.first
        }
        #expect(byName["\(checks)/pass.simsh"]?["results"] == .array([]))
        #expect(firstResult("\(checks)/fail.simsh")?["kind"] == .string("failure"))
        #expect(
            firstResult("\(checks)/fail.simsh")?["message"]?.stringValue?.contains("expect failed: status 404")
                == true)
        #expect(firstResult("\(checks)/sub/error.simsh")?["kind"] == .string("error"))
        #expect(report["html"]?["rows"] == .number(3))
        #expect(report["html"]?["failures"] == .number(2))
        #expect(report["html"]?["errors"] == .array([]) && report["html"]?["unclosed"] == .array([]))
        #expect(report["html"]?["text"]?.stringValue?.contains("expect status 404") == true)
        let tap = try String(contentsOfFile: dir.file("out.tap"), encoding: .utf8)
        #expect(tap.hasPrefix("TAP version 13\n1..3\n"))
        #expect(tap.contains("not ok 2 - \(checks)/pass.simsh") == false && tap.contains("ok 2 - \(checks)/pass.simsh"))
        return tap
    }

    /// No password, API key, `--secret` value or Basic credentials in the output or any report;
    /// the `-v` trace and the echoed secret masked.
    static func expectNoSecretAnywhere(_ r: SpawnResult, tap: String, in dir: TempDir) throws {
        let basic = Data("tester:\(Self.password)".utf8).base64EncodedString()
        let everything = [
            r.stdout, r.stderr, try String(contentsOfFile: dir.file("out.xml"), encoding: .utf8), tap,
            try String(contentsOfFile: dir.file("report/index.html"), encoding: .utf8),
        ]
        for text in everything {
            for secret in [Self.password, Self.apiKey, Self.secret, basic] {
                #expect(!text.contains(secret), "\(secret) leaked")
            }
        }
        #expect(r.stderr.contains("> PUT /api/v4/setting/ping/act"), "the -v trace")
        #expect(r.stderr.contains("Authorization: Basic ****"))
        #expect(r.stdout.contains("the secret is ****") || everything[2].contains("the secret is ****"))
    }

    @Test func usageErrorsOfTestItselfExitTwo() throws {
        let home = TempDir()
        #expect(try spawnSimsh(["test", home.file("nothing-here")], home: home).status == 2)
        #expect(try spawnSimsh(["test", "--jobs", "0", home.path], home: home).status == 2)
        #expect(try spawnSimsh(["test", home.path], home: home).status == 2)  // no .simsh files
    }

    @Test func theTraceMasksSecretsInBodiesAndHeaders() throws {
        let home = TempDir()
        let r = try spawnSimsh(
            ["--demo", "-v", "-c", "users add number=150 name=T secret=Zq81secretX context=main_routing; ping"],
            home: home)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("> POST /api/v4/pbx/users/add"))
        #expect(r.stderr.contains("\"secret\":\"****\""))
        #expect(r.stderr.contains("< 200 OK ("))
        #expect(!r.stderr.contains("Zq81secretX") && !r.stdout.contains("Zq81secretX"))
    }
}

extension SpawningTests.SimshTestCommandTests {
    @Test func interruptedOrTimedOutRunsStillReport() throws {
        let home = TempDir()
        let dir = TempDir()
        try "ping\n".write(toFile: dir.file("a-fast.simsh"), atomically: true, encoding: .utf8)
        try "sleep 30s\n".write(toFile: dir.file("b-slow.simsh"), atomically: true, encoding: .utf8)
        let timed = try spawnSimsh(
            ["test", dir.path, "--demo", "--timeout", "500ms", "--report-tap", dir.file("t.tap")], home: home)
        #expect(timed.status == 1, "\(timed.stdout)\(timed.stderr)")
        #expect(timed.stdout.contains("error: timed out after 500ms (--timeout)"), "\(timed.stdout)")
        #expect(try String(contentsOfFile: dir.file("t.tap"), encoding: .utf8).contains("not ok 2 - "))

        let child = try startSimsh(["test", dir.path, "--demo", "--report-junit", dir.file("j.xml")], home: home)
        #expect(child.waitForOutput("b-slow.simsh: RUNNING") != nil, "\(child.stdout)")
        kill(child.pid, SIGTERM)
        #expect(child.wait(timeout: 20) == 130)
        #expect(child.stdout.contains("Executed files:  2"), "\(child.stdout)")
        let junit = try String(contentsOfFile: dir.file("j.xml"), encoding: .utf8)
        #expect(junit.contains("interrupted"), "\(junit)")
    }

    @Test func usageMistakesAreSaidOnceWithoutTheirValues() throws {
        let home = TempDir()
        let dir = TempDir()
        try "ping\n".write(toFile: dir.file("a.simsh"), atomically: true, encoding: .utf8)
        let bad = try spawnSimsh(["test", dir.path, "--demo", "--secret", "1x=Pw-9f83kq"], home: home)
        #expect(bad.status == 2)
        #expect(!bad.stdout.contains("Pw-9f83kq") && !bad.stderr.contains("Pw-9f83kq"), "\(bad.stderr)")
        #expect(!bad.stdout.contains("RUNNING"))
        let profile = try spawnSimsh(["test", dir.path, "-p", "nosuch"], home: home)
        #expect(profile.status == 2 && profile.stderr.contains("no profile named 'nosuch'"), "\(profile.stderr)")
        let twice = try spawnSimsh(["test", dir.file("a.simsh"), dir.path + "/./a.simsh", "--demo"], home: home)
        #expect(twice.stdout.contains("Executed files:  1"), "\(twice.stdout)")
    }

    /// The listener and the simulator work for a user other than root (an option that needs
    /// privileges was once set on every accepted connection, and every connection was dropped).
    @Test func theDemoWorksForAnUnprivilegedUser() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let home = TempDir()
        chmod(home.path, 0o777)
        let child = try ChildProcess(
            "/usr/bin/setpriv",
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", simshBinary, "--demo", "-c",
                "ping; expect event Ping within 5s",
            ],
            environment: [
                "HOME": home.path, "SIMSH_CONFIG": home.file("c.toml"), "SIMSH_HISTFILE": home.file("h"),
                "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
            ])
        #expect(child.wait(timeout: 30) == 0, "\(child.stdout)\(child.stderr)")
    }
}

extension SpawningTests.SimshTestCommandTests {
    @Test func doubleVerboseShowsThePhasesOfEachExchange() throws {
        let r = try spawnSimsh(["--demo", "-vv", "-c", "ping; users search"], home: TempDir())
        #expect(r.status == 0, "\(r.stderr)")
        let phases = r.stderr.split(separator: "\n").filter { $0.hasPrefix("* connected and request head sent after ") }
        #expect(phases.count == 2, "\(r.stderr)")
        #expect(phases.allSatisfy { $0.contains("first byte after") && $0.contains("whole answer after") })
        #expect(r.stderr.contains("< 200 OK ("))
    }
}
