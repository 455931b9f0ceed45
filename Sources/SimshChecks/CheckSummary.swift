import Foundation
import SimshRuntime

/// What `simsh test` prints after the files have run.
public enum CheckSummary {
    /// A file name on one line that cannot drive the terminal.
    public static func shown(_ file: String) -> String {
        Output.terminalSafe(file.replacingOccurrences(of: "\n", with: "\u{FFFD}"))
    }

    /// Files executed, succeeded and failed, the duration, what was not run, and last the files
    /// that failed, one a line (what to open or run again):
    ///
    ///     Failed:          checks/a.simsh
    ///                      checks/sub/b.simsh
    public static func text(_ cases: [CheckCase], files: Int, milliseconds ms: Double, interrupted: Bool) -> String {
        let passed = cases.filter(\.passed).count
        func share(_ n: Int) -> String { String(format: "%.1f%%", Double(n) * 100 / Double(max(1, cases.count))) }
        let failed = cases.filter { !$0.passed }.enumerated().map { i, c in
            (i == 0 ? "Failed:          " : String(repeating: " ", count: 17)) + shown(c.file) + "\n"
        }
        var text = String(repeating: "-", count: 80) + "\n"
        text += "Executed files:  \(cases.count)\n"
        text += "Succeeded files: \(passed) (\(share(passed)))\n"
        text += "Failed files:    \(cases.count - passed) (\(share(cases.count - passed)))\n"
        text += "Duration:        \(Int(ms.rounded())) ms\n"
        if interrupted { text += "Interrupted: \(files - cases.count) files not run\n" }
        return text + failed.joined()
    }
}
