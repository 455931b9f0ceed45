import Foundation
import Testing

@testable import SimshChecks
@testable import SimshLanguage
@testable import SimshRuntime

/// Issue 23, point 8: `simsh test DIR` runs the check files only (not `_` helpers, not what a
/// `_` directory holds, not the rule scripts `answer --script` names), `--exclude GLOB` leaves
/// files out, and the summary ends with the files that failed.
@Suite struct CheckDiscoveryTests {
    /// A fresh directory holding `files` (path relative to it → text).
    static func directory(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("simsh-checks-\(UUID().uuidString)")
            .path
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func helpersAndRuleScriptsAreNotRunUnlessNamed() throws {
        let root = try Self.directory([
            "a.simsh": "source _helper.simsh\nanswer ivr menu --script rules/route.simsh --within 1s\nping\n",
            "_helper.simsh": "set x 1\n",
            "rules/route.simsh": "reply case=1\n",
            "sub/b.simsh": "if 1 == 1\n  answer smart s1 --script=smart.simsh\nend\n",
            "sub/smart.simsh": "reply commands=\"Exit('x')\"\n",
            "_lib/c.simsh": "echo c\n",
            "_lib/deep/d.simsh": "answer exten e --script ../../rules/exten.simsh\n",
            "rules/exten.simsh": "reply extension=100\n",
            "rules/check.simsh": "ping\n",
            "notes.txt": "not a check\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let found = try CheckRunner.files(in: [root], filter: nil)
        #expect(found == [root + "/a.simsh", root + "/rules/check.simsh", root + "/sub/b.simsh"], "\(found)")
        // A helper or a rule script named on the command line runs.
        let named = try CheckRunner.files(
            in: [root + "/_helper.simsh", root, root + "/rules/route.simsh"], filter: nil)
        #expect(
            named == [
                root + "/_helper.simsh", root + "/a.simsh", root + "/rules/check.simsh", root + "/sub/b.simsh",
                root + "/rules/route.simsh",
            ], "\(named)")
    }

    @Test func excludeLeavesOutByPathNameOrDirectory() throws {
        let root = try Self.directory([
            "a.simsh": "ping\n", "slow/b.simsh": "ping\n", "slow/deep/c.simsh": "ping\n", "wip-d.simsh": "ping\n",
            "sub/e.simsh": "ping\n", "sub/deep/f.simsh": "ping\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        func run(_ exclude: [String], _ paths: [String]? = nil) throws -> [String] {
            try CheckRunner.files(in: paths ?? [root], filter: nil, exclude: exclude).map {
                String($0.dropFirst(root.count + 1))
            }
        }
        #expect(try run([]).count == 6)
        #expect(try run(["slow"]) == ["a.simsh", "sub/deep/f.simsh", "sub/e.simsh", "wip-d.simsh"])
        #expect(
            try run(["wip-*"]) == ["a.simsh", "slow/b.simsh", "slow/deep/c.simsh", "sub/deep/f.simsh", "sub/e.simsh"])
        #expect(try run(["sub/*.simsh", "*/deep/*"]) == ["a.simsh", "slow/b.simsh", "wip-d.simsh"])
        #expect(
            try run(["sub/e.simsh", "b.simsh"]) == ["a.simsh", "slow/deep/c.simsh", "sub/deep/f.simsh", "wip-d.simsh"])
        // Relative to the directory given: with `sub` given, `deep/*` is what `sub/deep` holds.
        #expect(try run(["deep/*"], [root + "/sub"]) == ["sub/e.simsh"])
    }

    @Test func theSummaryEndsWithTheFilesThatFailed() {
        func result(_ file: String, _ status: Int32) -> CheckCase {
            CheckCase(
                file: file, status: status, milliseconds: 1, failures: [], output: "", errorOutput: "",
                lastExchange: "", source: "")
        }
        let cases = [result("checks/pass.simsh", 0), result("checks/fail.simsh", 1), result("checks/sub/e.simsh", 2)]
        let text = CheckSummary.text(cases, files: 3, milliseconds: 12, interrupted: false)
        #expect(text.contains("Executed files:  3\n") && text.contains("Failed files:    2 (66.7%)\n"), "\(text)")
        let failed = "Failed:          checks/fail.simsh\n                 checks/sub/e.simsh\n"
        #expect(text.hasSuffix("Duration:        12 ms\n" + failed), "\(text)")
        #expect(!text.contains("pass.simsh"))
        let passing = CheckSummary.text([cases[0]], files: 1, milliseconds: 12, interrupted: false)
        #expect(!passing.contains("Failed:    ") && passing.hasSuffix("Duration:        12 ms\n"), "\(passing)")
        // A name cannot drive the terminal.
        let odd = CheckSummary.text(
            [result("a\u{1B}]0;x\u{7}.simsh", 1)], files: 1, milliseconds: 1, interrupted: false)
        #expect(!odd.contains("\u{1B}"))
    }
}
