import AsyncHTTPClient
import Foundation
import HTTPServerKit
import NIOCore
import SimotelKit
import SimshTesting
import Testing

@testable import SimotelWebhooks

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

extension SpawningTests {
    /// The same on the real binary: SIGHUP, a full disk, and memory.
    @Suite struct LogRotationProcessTests {

        /// `simsh -c 'listen events --log …; sleep 120'` given SIGHUP after its log was moved
        /// away (logrotate's `postrotate kill -HUP`): it goes on, with a new file at the path
        /// at once (it used to exit 129).
        @Test func sigHupInAScriptReopensTheLogInsteadOfEndingIt() async throws {
            let home = TempDir()
            let log = home.file("events.jsonl")
            let (child, port) = try ListenerMemoryTests().startListener("--log \(log)", home: home)
            defer { child.stop() }
            let url = "http://127.0.0.1:\(port)/"
            #expect(try await TestHTTP.sendPings(0..<2, to: url) == Array(repeating: 200, count: 2))
            #expect(rename(log, log + ".1") == 0)
            #expect(kill(child.pid, SIGHUP) == 0)
            #expect(child.waitFor(timeout: 10) { FileManager.default.fileExists(atPath: log) }, "\(child.stderr)")
            #expect(child.isRunning, "\(child.stderr)")
            #expect(try await TestHTTP.sendPings(2..<4, to: url) == Array(repeating: 200, count: 2))
            #expect(child.isRunning)
            #expect(try loggedPings(log + ".1") == ["0", "1"])
            #expect(try loggedPings(log) == ["2", "3"])
        }

        /// In the interactive shell SIGHUP is still the terminal hanging up: it ends the shell.
        @Test func sigHupStillEndsTheInteractiveShell() throws {
            let home = TempDir()
            let t = try TerminalTests().started(home: home)
            #expect(try t.run("listen events --log \(home.file("events.jsonl"))"), "\(t.screen)")
            let pid = try #require(t.simshPID)
            #expect(kill(pid, SIGHUP) == 0)
            // The shell ends as on a hang-up (its process group, the pane's shell, may end with
            // it, so no exit line need be printed): the process is gone or a zombie.
            func gone() -> Bool {
                guard kill(pid, 0) == 0 else { return true }
                let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
            }
            let deadline = Date().addingTimeInterval(10)
            while !gone() && Date() < deadline { usleep(20_000) }
            #expect(gone(), "\(t.screen)")
        }

        /// A file size limit (EFBIG after a short write, as ENOSPC on a full disk): the line
        /// written in part is cut off, its event answered 503; every line of the log is whole,
        /// and holds exactly the events answered 200 (a small one still fits after).
        @Test func aShortWriteLeavesNoTornLine() async throws {
            let home = TempDir()
            let log = home.file("events.jsonl")
            let limit = 20_000
            let env = simshEnvironment(home: home)
            // SIGXFSZ ignored, so that the write fails instead of killing simsh.
            let child = try ChildProcess(
                "/bin/sh",
                [
                    // The log alone: an event store would meet the size limit first.
                    "-c",
                    "trap '' XFSZ; exec /usr/bin/prlimit --fsize=\(limit):\(limit) -- \"$0\" --no-store -c \"$1\"",
                    simshBinary, "listen events --port 0 --log \(log); sleep 120",
                ],
                environment: env)
            defer { child.stop() }
            let address = try #require(child.waitForListenerURL(), "\(child.stderr)")
            let url = address + "/"
            let filler = String(repeating: "x", count: 5_000)
            var answered: [String: Int] = [:]
            for i in 0..<6 {
                let body = Array(#"{"event_name":"Cdr","i":"\#(i)","blob":"\#(filler)"}"#.utf8)
                answered["\(i)"] = try await TestHTTP.send(url, headers: TestHTTP.json, body: body)
            }
            answered["small"] = try await TestHTTP.send(
                url, headers: TestHTTP.json, body: Array(#"{"event_name":"Ping","i":"small"}"#.utf8))
            #expect(answered.values.contains(503), "\(answered)")
            #expect(answered["0"] == 200 && answered["small"] == 200, "\(answered) \(child.stderr)")
            #expect(child.stderr.contains("bytes written (disk full?)"), "\(child.stderr)")
            var st = stat()
            #expect(stat(log, &st) == 0 && Int(st.st_size) <= limit, "\(st.st_size) bytes")
            let logged = try loggedPings(log)
            #expect(Set(logged) == Set(answered.filter { $0.value == 200 }.keys), "\(answered) \(logged)")
            #expect(logged.count == Set(logged).count)
        }

        /// 1 MiB component requests answered by a script rule (the issue measured ~410 MB
        /// whatever --keep-bytes said): with --keep-bytes 16MiB two are let in at a time, the
        /// others are answered at once with a warning, and the listener stays small.
        @Test func largeRequestsThroughAScriptRuleStayWithinKeepBytes() async throws {
            let home = TempDir()
            let script = home.file("slow.simsh")
            try "sleep 5s\nreply case=1\n".write(toFile: script, atomically: true, encoding: .utf8)
            let child = try startSimsh(
                [
                    "-c",
                    "listen events --port 0 --keep-bytes 16MiB; "
                        + "answer ivr big --script \(script) --within 30s; sleep 120",
                ], home: home)
            defer { child.stop() }
            let address = try #require(child.waitForListenerURL(), "\(child.stderr)")
            #expect(child.waitForOutput("with the script") != nil, "\(child.stdout) \(child.stderr)")
            let before = try #require(child.residentBytes)
            let filler = String(repeating: "x", count: 1_000_000)
            let body = Array(#"{"src":"1","dst":"2","data":"\#(filler)","unique_id":"u","app_name":"big"}"#.utf8)
            let headers = TestHTTP.json
            // One every 40 ms: all 64 would be waiting for their script at once (5 s each).
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(40 * i))
                        // Those let in wait for their script (5 s): a busy machine may take longer.
                        return try await TestHTTP.send(
                            address + "/", headers: headers, body: body, timeout: .seconds(60))
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let after = try #require(child.residentBytes)
            let refused = child.stderr.components(separatedBy: "would take more than --keep-bytes").count - 1
            print("64 component requests of 1 MB, --keep-bytes 16MiB: RSS \(before >> 20) -> \(after >> 20) MiB")
            #expect(refused >= 50, "\(child.stderr.suffix(2000))")
            #expect(after - before < 150 << 20, "grew by \((after - before) >> 20) MiB")
        }
    }
}
