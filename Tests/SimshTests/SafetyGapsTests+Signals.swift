import Foundation
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 21, point 4 on the real binary: SIGINT (Ctrl-C) stops a match that backtracks for
/// minutes, and the script ends with 130 — not a cancelled task in-process, the signal.
extension SpawningTests.SafetyGapsTests {
    @Test func sigintStopsAPathologicalMatch() throws {
        let home = TempDir()
        let ones = String(repeating: "1", count: 1000) + "x"
        let script = home.file("slow.simsh")
        // No bound but the signal: a regular expression's own 1 s bound would end it too, so the
        // match runs in a rule-free script whose only way out before 1 s is Ctrl-C.
        try "set t = '\(ones)'\necho started\nexpect $t matches '(1|11)*y'\necho never\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        let child = try startSimsh([script], home: home)
        defer { child.stop() }
        #expect(child.waitForOutput("started", timeout: 60) != nil, "\(child.stderr)")
        kill(child.pid, SIGINT)
        #expect(child.wait(timeout: 30) == 130, "\(child.stderr)")
        #expect(!child.stdout.contains("never"))
    }
}
