import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshRuntime

/// Issue 13, point 4: what a user entered or a peer was told is kept survives `kill -9`, a crash
/// mid-write and a full disk.
extension SpawningTests {
    @Suite struct DurabilityTests {
        /// A line entered at the prompt is in the history file before its command runs: killed
        /// during the command, the shell loses nothing, and the next shell recalls it.
        @Test func aKilledShellLosesNoHistoryLine() throws {
            let home = TempDir()
            let t = try TerminalTests().started(home: home)
            #expect(try t.run("echo first-line"))
            try t.type("sleep 30")
            try t.press("Enter")
            let history = home.file("state/history")
            func lines() -> [String] {
                ((try? String(contentsOfFile: history, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            }
            // The command is running (its line is written before it starts): kill -9 the shell.
            let deadline = Date().addingTimeInterval(10)
            while !lines().contains("sleep 30") && Date() < deadline { usleep(10_000) }
            let pid = try #require(t.simshPID)
            #expect(kill(pid, SIGKILL) == 0)
            #expect(t.waitForText("[simsh exited"), "\(t.screen)")
            #expect(lines().suffix(2) == ["echo first-line", "sleep 30"])
            // No temporary file is left beside it by a write that finished.
            let left = try FileManager.default.contentsOfDirectory(atPath: home.file("state"))
            #expect(left.filter { $0.contains(".tmp.") }.isEmpty, "\(left)")
            let next = try TerminalTests().started(home: home)
            try next.press("Up")
            #expect(next.waitFor { $0.contains(TerminalTests.prompt + "sleep 30") }, "\(next.screen)")
        }

        /// Shells writing one history file at once (each store is its own open file, as two
        /// processes are): every line of each is kept.
        @Test func concurrentShellsKeepEveryHistoryLine() throws {
            let dir = TempDir()
            let path = dir.file("history")
            DispatchQueue.concurrentPerform(iterations: 4) { writer in
                let store = HistoryStore(path: path)
                for i in 0..<25 { _ = try? store.record("echo writer-\(writer)-line-\(i)") }
            }
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count == 100)
            #expect(Set(lines).count == 100)
            for writer in 0..<4 {
                // Each writer's lines in the order it entered them.
                let own = lines.filter { $0.hasPrefix("echo writer-\(writer)-") }
                #expect(own == (0..<25).map { "echo writer-\(writer)-line-\($0)" })
            }
        }

        /// Senders on many connections, the listener killed with SIGKILL among them: every event
        /// answered 200 is a whole line of the log.
        @Test func aKilledListenerLosesNoEventItAnswered() async throws {
            let home = TempDir()
            let log = home.file("events.jsonl")
            let (child, port) = try ListenerMemoryTests().startListener("--log \(log)", home: home)
            defer { child.stop() }
            let answered = LockedIntSet()
            await withTaskGroup(of: Void.self) { group in
                for sender in 0..<8 {
                    group.addTask {
                        var i = sender * 1_000_000
                        while true {
                            i += 1
                            guard
                                let status = try? await TestHTTP.send(
                                    "http://127.0.0.1:\(port)/", headers: [("Content-Type", "application/json")],
                                    body: pingBody(i))
                            else { return }
                            if status == 200 { answered.insert(i) }
                        }
                    }
                }
                // Killed once it has answered a good number, senders still sending.
                let deadline = Date().addingTimeInterval(30)
                while answered.count < 300 && Date() < deadline { try? await Task.sleep(for: .milliseconds(5)) }
                kill(child.pid, SIGKILL)
            }
            #expect(answered.count >= 300)
            let text = try String(contentsOfFile: log, encoding: .utf8)
            var logged = Set<Int>()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (n, line) in lines.enumerated() where !line.isEmpty {
                // Only a last line without its newline may be cut short.
                guard let value = try? JSONValue.parse(Array(line.utf8)) else {
                    #expect(n == lines.count - 1, "line \(n + 1) of \(lines.count) is not JSON: \(line.prefix(200))")
                    continue
                }
                if let i = value["payload"]?["i"]?.stringValue.flatMap({ Int($0) }) { logged.insert(i) }
            }
            let lost = answered.all.subtracting(logged)
            #expect(lost.isEmpty, "\(lost.count) events answered 200 are not in the log")
        }

        func environment(_ home: TempDir, config: String) -> [String: String] {
            var env = ProcessInfo.processInfo.environment
            for key in ["SIMSH_URL", "SIMSH_USER", "SIMSH_PASSWORD", "SIMSH_API_KEY"] { env[key] = nil }
            env["HOME"] = home.path
            env["SIMSH_CONFIG"] = config
            env["SIMSH_HISTFILE"] = home.file("state/history")
            env["NO_COLOR"] = "1"
            return env
        }

        /// An old profile file of about 3 KiB (keys simsh does not know are kept).
        func oldProfiles(_ home: TempDir) throws -> (path: String, text: String) {
            let config = home.file("config/config.toml")
            try FileManager.default.createDirectory(
                atPath: home.file("config"), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let filler = (0..<40).map { "key\($0) = \"\(String(repeating: "x", count: 60))\"" }.joined(separator: "\n")
            let old = "default = \"old\"\n\n[profiles.old]\nurl = \"http://old.example\"\n" + filler + "\n"
            try old.write(toFile: config, atomically: true, encoding: .utf8)
            chmod(config, 0o600)
            return (config, old)
        }

        /// A shell saving a profile over and over, killed with SIGKILL in the middle of it: a
        /// reader meanwhile, and the file after, always find a whole file with every profile.
        @Test func aShellKilledWhileSavingAProfileLeavesAWholeFile() throws {
            let home = TempDir()
            let (config, _) = try oldProfiles(home)
            let script = home.file("save.simsh")
            try """
            repeat 100000
              connect http://127.0.0.1:9 --user u --password pw --save p --force --no-check
            end

            """.write(toFile: script, atomically: true, encoding: .utf8)
            let child = try ChildProcess(simshBinary, [script], environment: environment(home, config: config))
            defer { child.stop() }
            // Read while it writes: never a partial file.
            var reads = 0
            let deadline = Date().addingTimeInterval(30)
            while child.stdout.components(separatedBy: "saved profile").count < 50 && Date() < deadline {
                let names = try ProfileStore(path: config).load().profiles.map(\.name)
                #expect(names.contains("old"), "\(names)")
                reads += 1
            }
            #expect(kill(child.pid, SIGKILL) == 0)
            #expect(child.wait() == 128 + SIGKILL)
            #expect(reads > 0)
            #expect(try ProfileStore(path: config).load().profiles.map(\.name).sorted() == ["old", "p"])
            // At most the one write the kill cut short left its temporary file.
            let left = try FileManager.default.contentsOfDirectory(atPath: home.file("config")).filter {
                $0.contains(".tmp.")
            }
            #expect(left.count <= 1, "\(left)")
        }

        /// A profile write refused for want of room (a file size limit: EFBIG, as a full disk's
        /// ENOSPC) is one line in words, exit 3, and leaves the old file and no temporary one.
        @Test func aProfileWriteWithoutRoomLeavesTheOldFile() throws {
            let home = TempDir()
            let (config, old) = try oldProfiles(home)
            let save = "connect http://127.0.0.1:9 --user u --password secret-pw\nprofile save new"
            // SIGXFSZ ignored, so that the write fails instead of killing simsh.
            let full = try ChildProcess(
                "/bin/sh",
                ["-c", "trap '' XFSZ; exec /usr/bin/prlimit --fsize=2048:2048 -- \"$0\" -c \"$1\"", simshBinary, save],
                environment: environment(home, config: config))
            #expect(full.wait() == 3, "\(full.stderr)")
            #expect(full.stderr.contains("cannot write \(config): file too large"), "\(full.stderr)")
            #expect(full.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(full.stderr)")
            #expect(!full.stderr.contains("secret-pw"))
            #expect(try String(contentsOfFile: config, encoding: .utf8) == old)
            let left = try FileManager.default.contentsOfDirectory(atPath: home.file("config")).filter {
                $0.contains(".tmp.")
            }
            #expect(left.isEmpty, "\(left)")
        }
    }
}

/// A set of ints shared by tasks.
final class LockedIntSet: @unchecked Sendable {
    private let lock = NSLock()
    private var set = Set<Int>()
    func insert(_ i: Int) { lock.withLock { _ = set.insert(i) } }
    var count: Int { lock.withLock { set.count } }
    var all: Set<Int> { lock.withLock { set } }
}
