import Foundation
import SimshTesting
import Testing

/// Suites that start processes run one test at a time, one suite after the other: they share the
/// machine's two cores and must not hand each other's pipes to long-lived tmux servers.
@Suite(.serialized) enum SpawningTests {}

extension SpawningTests {
    /// The built binary, as users and CI run it: exit statuses, `-c`, files, stdin, JSON output.
    @Suite struct EndToEndTests {
        static let key = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"

        @Test func demoPingExitsZero() throws {
            let r = try spawnSimsh(["--demo", "-c", "ping"], home: TempDir())
            #expect(r.status == 0)
            #expect(r.stdout.contains("ping ok (success 1"))
            #expect(
                r.stdout.contains(
                    "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"))
        }

        @Test func unreachableExitsThreeWithOneLineNamingTheAddress() throws {
            let port = closedPort()
            let started = Date()
            let r = try spawnSimsh(["-c", "connect http://127.0.0.1:\(port) --timeout 60; ping"], home: TempDir())
            // Refused is an answer: no retrying until the 60 s timeout.
            #expect(Date().timeIntervalSince(started) < 20)
            #expect(r.status == 3)
            #expect(r.stdout.isEmpty)
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.contains("127.0.0.1:\(port)") == true)
            #expect(!r.stderr.contains("Fatal error"))
        }

        @Test func unauthorizedExitsFourWithSimotelsMessage() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(home: home)
            defer { _ = sim.stop() }
            let r = try spawnSimsh(["-c", "connect \(sim.url) --user test --password nope; ping"], home: home)
            #expect(r.status == 4)
            #expect(r.stderr.contains("BasicAuth or ApiKey is invalid"))
        }

        @Test func unterminatedQuoteExitsTwoNamingFileLineColumn() throws {
            let home = TempDir()
            let file = home.file("bad.simsh")
            try "echo fine\nping\necho \"open\n".write(toFile: file, atomically: true, encoding: .utf8)
            let r = try spawnSimsh(["--demo", file], home: home)
            #expect(r.status == 2)
            #expect(r.stderr.contains("\(file):3:6: error: unterminated double quote"))
            #expect(r.stdout.isEmpty)
        }

        @Test func simulatorWithPostPingStillAnswersPing() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(["--ping-method", "post"], home: home)
            let r = try spawnSimsh(
                ["-c", "connect \(sim.url) --user test --password Aa123456 --api-key \(Self.key); ping; ping"],
                home: home)
            #expect(r.status == 0)
            #expect(r.stdout.components(separatedBy: "ping ok").count == 3)
            #expect(r.stderr.components(separatedBy: "405").count == 2)
            #expect(sim.stop() == 0)
        }

        @Test func jsonOutputIsOneLinePerCommand() throws {
            let r = try spawnSimsh(["--demo", "--output", "json", "-c", "ping"], home: TempDir())
            #expect(r.status == 0)
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 1)
            let line = String(lines[0])
            #expect(line.hasPrefix(#"{"type":"answer","command":"ping","method":"PUT","url":"http://127.0.0.1:"#))
            #expect(line.contains(#""status":200,"success":1,"message":"If the 'Ping' event"#))
            #expect(line.contains(#""data":null,"time_ms":"#))
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(obj?["time_ms"] is Double || obj?["time_ms"] is Int)
        }

        @Test func scriptFromStdinStopsAtTheFirstFailure() throws {
            let r = try spawnSimsh(["--demo"], stdin: "echo one\nping\n\nnosuch\necho never\n", home: TempDir())
            #expect(r.status == 2)
            #expect(r.stdout.contains("one"))
            #expect(!r.stdout.contains("never"))
            #expect(r.stderr.contains("<stdin>:4:1: error: unknown command 'nosuch'"))
        }

        @Test func scriptArgumentsAndExitStatus() throws {
            let home = TempDir()
            let file = home.file("args.simsh")
            try "echo \"$0 got $1 and $2 ($#)\"\nexit 5\n".write(toFile: file, atomically: true, encoding: .utf8)
            let r = try spawnSimsh([file, "a", "b c"], home: home)
            #expect(r.status == 5)
            #expect(r.stdout == "\(file) got a and b c (2)\n")
        }

        @Test func passwordFromStdin() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(["--auth", "basic", "--user", "ops", "--password", "s3cret"], home: home)
            defer { _ = sim.stop() }
            let r = try spawnSimsh(
                ["-c", "connect \(sim.url) --user ops --password-stdin; ping"], stdin: "s3cret\n", home: home)
            #expect(r.status == 0, "\(r.stderr)")
        }

        @Test func savedProfileFileIsPrivateAndEnvironmentOverrides() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(home: home)
            defer { _ = sim.stop() }
            var r = try spawnSimsh(
                ["-c", "connect \(sim.url) --user test --password wrong --api-key \(Self.key) --save lab --no-check"],
                home: home)
            #expect(r.status == 0)
            var st = stat()
            stat(home.file("config/config.toml"), &st)
            #expect(st.st_mode & 0o777 == 0o600)
            r = try spawnSimsh(["-p", "lab", "-c", "ping"], home: home)
            #expect(r.status == 4)
            r = try spawnSimsh(["-p", "lab", "-c", "ping"], environment: ["SIMSH_PASSWORD": "Aa123456"], home: home)
            #expect(r.status == 0)
            // A saved file that others can read is refused while it holds secrets.
            chmod(home.file("config/config.toml"), 0o644)
            r = try spawnSimsh(["-p", "lab", "-c", "ping"], home: home)
            #expect(r.status == 3)
            #expect(r.stderr.contains("chmod 600"))
        }

        @Test func environmentURLConnectsAtStart() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(home: home)
            defer { _ = sim.stop() }
            let r = try spawnSimsh(
                ["-c", "ping"],
                environment: [
                    "SIMSH_URL": sim.url, "SIMSH_USER": "test", "SIMSH_PASSWORD": "Aa123456", "SIMSH_API_KEY": Self.key,
                ], home: home)
            #expect(r.status == 0, "\(r.stderr)")
        }

        @Test func commandLineMisuseExitsTwo() throws {
            var r = try spawnSimsh(["--no-such-flag"], home: TempDir())
            #expect(r.status == 2)
            #expect(!r.stderr.isEmpty)
            r = try spawnSimsh(["-p", "missing", "-c", "ping"], home: TempDir())
            #expect(r.status == 2)
            #expect(r.stderr.contains("no profile named 'missing'"))
            r = try spawnSimsh(["/nonexistent/file.simsh"], home: TempDir())
            #expect(r.status == 3)
        }

        @Test func oneShotSubcommandAndHelp() throws {
            var r = try spawnSimsh(["version"], home: TempDir())
            #expect(r.status == 0)
            #expect(r.stdout.hasPrefix("simsh "))
            r = try spawnSimsh(["ping", "--help"], home: TempDir())
            #expect(r.status == 0)
            #expect(r.stdout.contains("USAGE: simsh ping"))
            r = try spawnSimsh(["--help"], home: TempDir())
            #expect(r.stdout.contains("simulator"))
        }

        @Test func simulatorPortInUseExitsThree() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(home: home)
            defer { _ = sim.stop() }
            let port = sim.url.split(separator: ":").last.map(String.init)!
            let r = try spawnSimsh(["simulator", "--port", port], home: home, timeout: 10)
            #expect(r.status == 3)
            #expect(r.stderr.contains("address already in use"))
        }

        @Test func pingThenWaitForThePingEventFromASimulatorProcess() throws {
            let home = TempDir()
            let port = freePort()
            let sim = try SimulatorProcess(["--events-to", "http://127.0.0.1:\(port)/"], home: home)
            defer { _ = sim.stop() }
            let script =
                "connect \(sim.url) --user test --password Aa123456 --api-key \(Self.key); "
                + "listen events --port \(port); ping; wait event Ping --timeout 5s"
            let r = try spawnSimsh(["-c", script], home: home)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("<-- Ping [#"), "\(r.stdout)")
        }

        @Test func waitTimesOutWithExitOneNamingWhatArrived() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(home: home)
            defer { _ = sim.stop() }
            let started = Date()
            let script =
                "connect \(sim.url) --user test --password Aa123456 --api-key \(Self.key); "
                + "listen events; simulate event NewState; ping; wait event Ping --timeout 2s"
            let r = try spawnSimsh(["-c", script], home: home)
            #expect(r.status == 1)
            #expect(Date().timeIntervalSince(started) >= 2)
            #expect(r.stderr.contains("no Ping event within 2s; nothing arrived"), "\(r.stderr)")
            let r2 = try spawnSimsh(
                ["-c", "listen events; simulate event NewState; wait event Ping --timeout 1s"], home: home)
            #expect(r2.status == 1)
            // The store's numbers: the first run's records came first.
            #expect(r2.stderr.contains("no Ping event within 1s; arrived: NewState #"), "\(r2.stderr)")
        }

        @Test func historyIsNotWrittenByScripts() throws {
            let home = TempDir()
            let r = try spawnSimsh(["--demo", "-c", "ping"], stdin: nil, home: home)
            #expect(r.status == 0)
            #expect(!FileManager.default.fileExists(atPath: home.file("state/history")))
        }
    }
}
