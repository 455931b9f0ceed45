import Foundation
import SimotelKit

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

    public init(
        files: [String], jobs: Int, options: ScriptOptions, connection: CheckConnection,
        environment: [String: String], paths: SimshPaths
    ) {
        self.files = files
        self.jobs = max(1, jobs)
        self.options = options
        self.connection = connection
        self.environment = environment
        self.paths = paths
    }

    /// The `.simsh` files under the paths given (directories searched recursively), sorted, each
    /// once; `filter` keeps paths containing it. A path that does not exist is a usage error.
    public static func files(in paths: [String], filter: String?) throws -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SimshError.usage("test: no such file or directory: \(path)")
            }
            if isDirectory.boolValue {
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                let entries = (fm.enumerator(atPath: path)?.allObjects as? [String]) ?? []
                found += entries.filter { $0.hasSuffix(".simsh") }.sorted().map { base == "." ? $0 : base + "/" + $0 }
            } else {
                found.append(path)
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted && (filter.map($0.contains) ?? true) }
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
                if next < files.count { add(&group) }
            }
        }
        return results.compactMap { $0 }
    }

    /// One file in a fresh session.
    public func runCase(_ file: String) async -> CheckCase {
        let sink = BufferSink()
        let session = Session(output: Output(sink: sink), environment: environment, paths: paths)
        let interpreter = Interpreter(session: session)
        let exchange = ExchangeRecorder()
        session.traceCapture = { exchange.add($0) }
        let clock = ContinuousClock()
        let start = clock.now
        var status: Int32
        do {
            try options.apply(to: session, interpreter: interpreter)
            try await session.connect(at: connection)
            status = await interpreter.runScriptFile(file, arguments: [])
        } catch {
            status = interpreter.report(error, fallbackLocation: nil)
        }
        await session.close()
        let elapsed = clock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
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
        let source = (try? AtomicFile.read(file)).flatMap { $0 } ?? ""
        return CheckCase(
            file: file, status: status, milliseconds: ms, failures: failures, output: sink.standardOutput,
            errorOutput: sink.standardError, lastExchange: secrets.redact(exchange.text),
            source: secrets.redact(source))
    }
}

/// Keeps the last request and its answer as the trace prints them.
final class ExchangeRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func add(_ text: String) {
        lock.withLock {
            if text.hasPrefix("> ") { lines = [] }
            lines.append(text)
        }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
