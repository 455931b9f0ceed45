import Foundation
import SimshTesting
import Testing

extension SpawningTests {
    /// Every input scripts/fuzz ever found failing (Fuzz/regressions) and every seed still passes
    /// its target's checks, replayed by the fuzz targets built without libFuzzer.
    @Suite struct FuzzRegressionTests {
        @Test(arguments: ["json", "lexer", "webhook", "toml", "envelope", "redactor"])
        func everyKeptCaseStillPasses(target: String) throws {
            let binary = URL(fileURLWithPath: simshBinary).deletingLastPathComponent().appendingPathComponent(
                "simsh-fuzz")
            var cases: [String] = []
            for dir in ["Fuzz/seeds/\(target)", "Fuzz/regressions/\(target)"] {
                let path = packageRoot + "/" + dir
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                cases += names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
            }
            #expect(!cases.isEmpty, "no seeds for \(target)")
            let child = try ChildProcess(
                binary.path, [target] + cases, environment: ProcessInfo.processInfo.environment)
            let status = child.wait(timeout: 120)
            #expect(status == 0, "\(target): \(child.stderr.suffix(2000))")
            #expect(child.stdout.contains("\(target): \(cases.count) cases pass"), "\(child.stdout)")
        }
    }
}
