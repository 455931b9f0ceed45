import Foundation
import NIOConcurrencyHelpers
import SimotelKit
import SimshCommands
import SimshLanguage
import SimshRuntime
import Synchronization

/// One `.simsh` file run as a test case by `simsh test`.
public struct CheckCase: Sendable {
    public var file: String
    public var status: Int32
    public var milliseconds: Double
    /// Every error the file reported (one unless `--continue-on-error`), secrets masked.
    public var failures: [SimshError]
    /// What it printed, secrets masked.
    public var output: String
    public var errorOutput: String
    /// The last request and answer before the end, as `-v` shows them (secrets masked).
    public var lastExchange: String
    /// The file's text, for the failing line in its context.
    public var source: String

    public var passed: Bool { status == 0 }
}

extension Session {
    /// Connects as a run starts: the embedded simulator, or a profile (`SIMSH_URL` / the default
    /// one when nil).
    public func connect(at how: CheckConnection) async throws {
        switch how {
        case .demo: try await startDemo()
        case .profile(let name): try await connectAtStart(profile: name)
        }
    }
}

/// How a run connects before its first line (`--demo`, `-p PROFILE`).
public enum CheckConnection: Sendable {
    /// Its own embedded simulator and listener (`--demo`).
    case demo
    /// A saved profile, or the default one / `SIMSH_URL` when nil.
    case profile(String?)
}

/// Runs `.simsh` files as test cases, each in a session of its own (own variables, own
/// listener), `jobs` at a time. The core of `simsh test`: it prints nothing itself.
public struct CheckRunner: Sendable {
    public var files: [String]
    public var jobs: Int
    public var options: ScriptOptions
    public var connection: CheckConnection
    public var environment: [String: String]
    public var paths: SimshPaths
    /// The longest a file may run (`--timeout`); nil: no limit.
    public var timeout: Double?

    public init(
        files: [String], jobs: Int, options: ScriptOptions, connection: CheckConnection,
        environment: [String: String], paths: SimshPaths, timeout: Double? = nil
    ) {
        self.timeout = timeout
        self.files = files
        self.jobs = max(1, jobs)
        self.options = options
        self.connection = connection
        self.environment = environment
        self.paths = paths
    }

    /// Runs the file within `timeout`: past it the file is cancelled and fails with a message.
    /// The timer is a dispatch timer, not a task: files busy on every thread of Swift's task pool
    /// (a regular expression backtracking, `--jobs 2` on two cores) cannot hold it back, and a
    /// match in progress stops as soon as it is cancelled.
    func runBounded(_ interpreter: Interpreter, _ file: String, text: String?) async -> Int32 {
        guard let timeout else { return await interpreter.runScriptFile(file, arguments: [], text: text) }
        let work = Task { await interpreter.runScriptFile(file, arguments: [], text: text) }
        let state = NIOLockedValueBox(BoundedRun.running)  // a box: the timer's closure escapes
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            let late = state.withLockedValue { s in
                guard s == .running else { return false }
                s = .timedOut
                return true
            }
            if late { work.cancel() }
        }
        let status = await withTaskCancellationHandler {
            await work.value
        } onCancel: {
            work.cancel()
        }
        let timedOut = state.withLockedValue { s in
            if s == .running { s = .finished }
            return s == .timedOut
        }
        guard timedOut else { return status }
        interpreter.reported.removeAll { $0.message == "interrupted" }
        interpreter.report(
            SimshError(.expectation, "timed out after \(DurationArgument(seconds: timeout).text) (--timeout)"),
            fallbackLocation: nil)
        return 1
    }

    enum BoundedRun: Sendable {
        case running, finished, timedOut
    }

    /// Runs every file; `started` and `finished` are called as cases start and end (from any task).
    public func run(
        started: @escaping @Sendable (String) -> Void, finished: @escaping @Sendable (CheckCase) -> Void
    ) async -> [CheckCase] {
        var results = [CheckCase?](repeating: nil, count: files.count)
        await withTaskGroup(of: (Int, CheckCase).self) { group in
            var next = 0
            func add(_ group: inout TaskGroup<(Int, CheckCase)>) {
                let index = next
                let file = files[index]
                next += 1
                group.addTask {
                    started(file)
                    let result = await runCase(file)
                    finished(result)
                    return (index, result)
                }
            }
            while next < min(jobs, files.count) { add(&group) }
            for await (index, result) in group {
                results[index] = result
                // Interrupted: the files running end as interrupted, the others do not start.
                if next < files.count, !Task.isCancelled { add(&group) }
            }
        }
        return results.compactMap { $0 }
    }

    /// One file in a fresh session.
    public func runCase(_ file: String) async -> CheckCase {
        let sink = BufferSink()
        let session = Session(
            output: Output(sink: sink), commands: Builtins(), environment: environment, paths: paths)
        let interpreter = Interpreter(session: session)
        let exchange = ExchangeRecorder()
        session.traceCapture = { exchange.add($0) }
        let clock = ContinuousClock()
        let start = clock.now
        var status: Int32
        // Read once: the file may be a pipe (`simsh test <(…)`), and the report shows its lines.
        let text = (try? AtomicFile.read(file)).flatMap { $0 }
        do {
            try options.apply(to: session, interpreter: interpreter)
            try await session.connect(at: connection)
            status = await runBounded(interpreter, file, text: text)
        } catch {
            status = interpreter.report(error, fallbackLocation: nil)
        }
        await session.close()
        let elapsed = clock.now - start
        let ms = elapsed.milliseconds
        let secrets = session.secrets
        let failures = interpreter.reported.map { e -> SimshError in
            var masked = e
            masked.message = secrets.redact(e.message)
            if var snippet = masked.snippet {
                snippet.line = secrets.redact(snippet.line)
                masked.snippet = snippet
            }
            return masked
        }
        let source = text ?? ""
        return CheckCase(
            file: file, status: status, milliseconds: ms, failures: failures, output: sink.standardOutput,
            errorOutput: sink.standardError, lastExchange: secrets.redact(exchange.text),
            source: secrets.redact(source))
    }
}

/// Keeps the last request and its answer as the trace prints them.
final class ExchangeRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    func add(_ text: String) {
        lines.withLock { lines in
            if text.hasPrefix("> ") { lines = [] }
            lines.append(text)
        }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}
