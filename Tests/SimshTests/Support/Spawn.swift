import Foundation

/// The built simsh binary (`SIMSH_BIN`, else the debug build).
let simshBinary: String = {
    if let bin = ProcessInfo.processInfo.environment["SIMSH_BIN"], !bin.isEmpty { return bin }
    return packageRoot + "/.build/debug/simsh"
}()

struct SpawnResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs simsh with arguments, optional stdin text and extra environment; waits up to `timeout`.
func spawnSimsh(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], home: TempDir,
    timeout: Double = 30
) throws -> SpawnResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: simshBinary)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for key in ["SIMSH_URL", "SIMSH_USER", "SIMSH_PASSWORD", "SIMSH_API_KEY"] { env[key] = nil }
    env["HOME"] = home.path
    env["SIMSH_CONFIG"] = home.file("config/config.toml")
    env["SIMSH_HISTFILE"] = home.file("state/history")
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? inp.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    let outData = SpawnCollector(out.fileHandleForReading)
    let errData = SpawnCollector(err.fileHandleForReading)
    while p.isRunning && Date() < deadline { usleep(10_000) }
    if p.isRunning { p.terminate() }
    p.waitUntilExit()
    return SpawnResult(status: p.terminationStatus, stdout: outData.text(), stderr: errData.text())
}

/// Reads a pipe to its end on a thread of its own (so a full pipe never blocks the child).
/// If a stray process keeps the pipe open, `text()` gives up after 10 s with what it has.
final class SpawnCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
            }
            done.signal()
        }
    }

    func text() -> String {
        _ = done.wait(timeout: .now() + 10)
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
}

/// A `simsh simulator` process, stopped with SIGTERM.
final class SimulatorProcess: @unchecked Sendable {
    let process = Process()
    let url: String
    private let output: Pipe

    init(_ arguments: [String] = [], home: TempDir) throws {
        process.executableURL = URL(fileURLWithPath: simshBinary)
        process.arguments = ["simulator", "--port", "0"] + arguments
        output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = home.path
        process.environment = env
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n") && Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) else {
            process.terminate()
            throw SpawnError(message: "simulator printed no address: \(text)")
        }
        url = String(text[range])
    }

    /// Sends SIGTERM and returns the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct SpawnError: Error { var message: String }
