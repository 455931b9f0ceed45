import Foundation
import SimshTesting
import Testing

@testable import SimshLanguage
@testable import SimshRuntime

/// Issue 21, point 6: every profile value is checked as the command line checks its option, with
/// the file and line in the message; none reaches the client to trap there (a timeout of 1e16
/// killed simsh with SIGILL).
@Suite struct ProfileValuesTests {
    static let bad: [(key: String, value: String)] = [
        ("timeout", "1e16"), ("timeout", "9.3e15"), ("timeout", "1e308"), ("timeout", "nan"), ("timeout", "inf"),
        ("timeout", "-5"), ("timeout", "0"), ("timeout", "\"forever\""), ("max_size", "-1"), ("max_size", "0"),
        ("max_size", "\"lots\""), ("insecure", "\"yes\""), ("user", "5"), ("auth", "\"token\""),
    ]

    static func config(_ key: String, _ value: String) -> String {
        """
        default_profile = "lab"

        [profiles.good]
        url = "http://127.0.0.1:1"

        [profiles.lab]
        url = "http://127.0.0.1:1"
        \(key) = \(value)

        """
    }

    @Test(arguments: bad) func aBadValueIsRefusedWithItsLine(_ entry: (key: String, value: String)) throws {
        let dir = TempDir()
        let path = dir.file("config.toml")
        try Self.config(entry.key, entry.value).write(toFile: path, atomically: false, encoding: .utf8)
        do {
            _ = try ProfileStore(path: path).load()
            Issue.record("\(entry.key) = \(entry.value) was accepted")
        } catch let e as SimshError {
            #expect(e.exitStatus == 2)
            #expect(e.message.hasPrefix("\(path):8: profile lab: \(entry.key) "), "\(e.message)")
        }
    }

    @Test func goodValuesAreTakenAsTheOptionsTakeThem() throws {
        let dir = TempDir()
        let path = dir.file("config.toml")
        for (value, seconds) in [("5", 5.0), ("2.5", 2.5), ("\"500ms\"", 0.5), ("\"1m\"", 60.0)] {
            try Self.config("timeout", value).write(toFile: path, atomically: false, encoding: .utf8)
            #expect(try ProfileStore(path: path).profile(named: "lab")?.timeout == seconds)
        }
        try Self.config("max_size", "\"2MiB\"").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try ProfileStore(path: path).profile(named: "lab")?.maxSize == 2 << 20)
    }

    /// `connect PROFILE` in the shell reports the value; the shell goes on.
    @Test func connectingToABadProfileIsAnError() async throws {
        let t = TestSession()
        try FileManager.default.createDirectory(atPath: t.dir.file("config"), withIntermediateDirectories: true)
        try Self.config("timeout", "1e16").write(
            toFile: t.dir.file("config/config.toml"), atomically: false, encoding: .utf8)
        let status = await t.run("connect lab")
        #expect(status == 2)
        #expect(t.sink.standardError.contains("config.toml:8: profile lab: timeout must be"), "\(t.sink.standardError)")
    }
}

extension SpawningTests {
    @Suite struct ProfileValueSpawnTests {
        /// Started with such a profile, simsh says why and exits 2 — no SIGILL.
        @Test func aHugeTimeoutEndsWithAnErrorNotASignal() throws {
            let home = TempDir()
            try FileManager.default.createDirectory(atPath: home.file("config"), withIntermediateDirectories: true)
            try ProfileValuesTests.config("timeout", "1e16").write(
                toFile: home.file("config/config.toml"), atomically: false, encoding: .utf8)
            let r = try spawnSimsh(["-p", "lab", "-c", "ping"], home: home)
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stderr.contains("config.toml:8: profile lab: timeout must be"), "\(r.stderr)")
        }
    }
}
