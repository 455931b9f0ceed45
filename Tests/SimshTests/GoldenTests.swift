import Foundation
import SimotelKit
import SimotelSimulator
import SimshTesting
import Testing

@testable import SimshRuntime

/// Runs every `Golden/*.simsh` in-process against the embedded simulator and compares what it
/// printed (stdout and stderr in order, ports and timings normalised) and its exit status with
/// `NAME.out`. `SIMSH_UPDATE_GOLDEN=1` rewrites the expectations.
@Suite struct GoldenTests {
    static let directory = packageRoot + "/Tests/SimshTests/Golden"

    static var scripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".simsh") }.sorted()
    }

    @Test func thereAreGoldenScripts() {
        #expect(Self.scripts.count >= 10)
    }

    @Test(arguments: scripts)
    func golden(name: String) async throws {
        let path = Self.directory + "/" + name
        let script = try String(contentsOfFile: path, encoding: .utf8)
        // Simulators with the documentation's sample account: one as documented, one whose
        // ping accepts only POST. The session also runs the demo simulator (`connect demo`).
        let outDir = TempDir()
        let sample = SimotelSimulator(configuration: SimulatorConfiguration())
        let postOnly = SimotelSimulator(configuration: SimulatorConfiguration(pingMethod: .post))
        let env = [
            "SIM_URL": try await sample.start(),
            "POST_SIM_URL": try await postOnly.start(),
            "CLOSED_PORT": String(closedPort()),
            "GOLDEN": Self.directory,
            "OUT_DIR": outDir.path,
        ]
        let t = TestSession(environment: env)
        // A script that shows many failures says so on a line of its own.
        t.interpreter.continueOnError = script.contains("# simsh: --continue-on-error\n")
        try await t.session.startDemo()
        let status = await t.interpreter.runScript(script, file: name, sourcePath: path)
        await t.session.close()
        await sample.stop()
        await postOnly.stop()

        let actual =
            normalize(t.sink.all).replacingOccurrences(of: Self.directory, with: "GOLDEN") + "[exit \(status)]\n"
        let expectedPath = Self.directory + "/" + name.replacingOccurrences(of: ".simsh", with: ".out")
        if ProcessInfo.processInfo.environment["SIMSH_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = (try? String(contentsOfFile: expectedPath, encoding: .utf8)) ?? "(missing \(expectedPath))"
        #expect(actual == expected, "\(name): output differs")
    }
}
