import Foundation

/// The built simsh binary (`SIMSH_BIN`, else the debug build).
package let simshBinary: String = {
    if let bin = ProcessInfo.processInfo.environment["SIMSH_BIN"], !bin.isEmpty { return bin }
    return packageRoot + "/.build/debug/simsh"
}()

package struct SpawnResult {
    package var status: Int32
    package var stdout: String
    package var stderr: String
}

/// Runs simsh with arguments, optional stdin text and extra environment; waits up to `timeout`,
/// then stops it (its whole process group).
package func spawnSimsh(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], home: TempDir,
    timeout: Double = 30
) throws -> SpawnResult {
    let child = try startSimsh(arguments, home: home, environment: environment)
    if let stdin { child.writeStdin(stdin) }
    child.closeStdin()
    let status = child.wait(timeout: timeout)
    return SpawnResult(status: status, stdout: child.stdout, stderr: child.stderr)
}

/// A `simsh simulator` process, stopped with SIGTERM (then SIGKILL) when done or dropped.
package final class SimulatorProcess: @unchecked Sendable {
    let child: ChildProcess
    package let url: String

    package init(_ arguments: [String] = [], home: TempDir) throws {
        child = try startSimsh(["simulator", "--port", "0"] + arguments, home: home)
        guard let address = child.waitForOutput(#"http://127\.0\.0\.1:\d+"#) else {
            child.stop()
            throw SpawnError(message: "simulator printed no address: \(child.stdout) \(child.stderr)")
        }
        url = address
    }

    /// Sends SIGTERM and returns the exit status.
    package func stop() -> Int32 {
        kill(child.pid, SIGTERM)
        return child.wait(timeout: 10)
    }
}

package struct SpawnError: Error {
    package var message: String
    package init(message: String) { self.message = message }
}
