import Foundation
import SimotelKit
import SimshLanguage
import Synchronization

/// The one path every line takes, whatever its source (REPL, script file, `-c`, stdin):
/// lex, expand, parse with the command's declaration, run against the session.
/// Its `var`s are views of `state`, a `Mutex` (a run's task writes them; `simsh test` reads them
/// after).
public final class Interpreter: Sendable {
    public let session: Session
    /// How deep `source` may nest.
    static let maxSourceDepth = 32
    struct State {
        var continueOnError = false
        var firstFailure: Int32?
        var reported: [SimshError] = []
        var pendingFail: (status: Word?, at: ParsedCommand)?
    }
    private let state = Mutex(State())
    /// `--continue-on-error`: a failing command is reported and the script goes on; it ends with
    /// the first failure's status.
    public var continueOnError: Bool {
        get { state.withLock { $0.continueOnError } }
        set { state.withLock { $0.continueOnError = newValue } }
    }
    /// The first failure's status when going on after errors.
    public internal(set) var firstFailure: Int32? {
        get { state.withLock { $0.firstFailure } }
        set { state.withLock { $0.firstFailure = newValue } }
    }
    /// Every error reported, in order (what `simsh test` puts in its reports).
    public package(set) var reported: [SimshError] {
        get { state.withLock { $0.reported } }
        set { state.withLock { $0.reported = newValue } }
    }
    /// `expect fail [STATUS]` waiting for the command it is about.
    var pendingFail: (status: Word?, at: ParsedCommand)? {
        get { state.withLock { $0.pendingFail } }
        set { state.withLock { $0.pendingFail = newValue } }
    }

    public init(session: Session) {
        self.session = session
        session.interpreter = self
    }

    /// Runs a whole script: a syntax error anywhere stops it before anything runs; otherwise
    /// the first failing command stops it with that command's exit status. Errors are printed
    /// here as `file:line:col: error: message`.
    public func runScript(_ text: String, file: String, sourcePath: String? = nil) async -> Int32 {
        if let sourcePath { session.sourceStack.append(sourcePath) }
        defer { if sourcePath != nil { session.sourceStack.removeLast() } }
        firstFailure = nil
        do {
            try await run(text, file: file)
            try checkNoPendingFail()
            return firstFailure ?? 0
        } catch {
            return report(error, fallbackLocation: nil)
        }
    }

    /// Runs a script file with its arguments as `$0`, `$1`, ..., `$#`; `text` when it was read
    /// already (a pipe is read once).
    public func runScriptFile(_ path: String, arguments: [String], text given: String? = nil) async -> Int32 {
        let text: String
        do {
            guard let t = try given ?? AtomicFile.read(path) else {
                throw SimshError.io("cannot read \(path): no such file")
            }
            text = t
        } catch {
            return report(error, fallbackLocation: nil)
        }
        session.setVariable("0", path)
        for (i, a) in arguments.enumerated() { session.setVariable(String(i + 1), a) }
        session.setVariable("#", String(arguments.count))
        return await runScript(text, file: path, sourcePath: path)
    }

    /// Runs a script read whole from standard input: checked and parsed before anything runs,
    /// as a file is.
    public func runScriptBytes(_ bytes: [UInt8], file: String) async -> Int32 {
        do {
            let text = try AtomicFile.text(bytes, from: file == "<stdin>" ? "standard input" : file)
            return await runScript(text, file: file)
        } catch {
            return report(error, fallbackLocation: nil)
        }
    }

    /// Runs one entry of the interactive shell. Errors are printed and the shell goes on.
    /// Returns the exit status of the entry, or nil with `exitStatus` set when `exit` was called.
    public func runInteractive(_ text: String) async -> InteractiveOutcome {
        do {
            try await run(text, file: "<stdin>")
            return .status(0)
        } catch let e as ExitRequest {
            return .exit(e.status)
        } catch {
            return .status(report(error, fallbackLocation: nil))
        }
    }

    public enum InteractiveOutcome: Equatable, Sendable {
        case status(Int32)
        case exit(Int32)
    }

    /// Runs a piece of a script that arrives in parts (stdin read line by line), reporting
    /// errors with line numbers counted from `firstLine`. Returns 0 or the failing status.
    public func runChunk(_ text: String, file: String, firstLine: Int) async -> Int32 {
        do {
            try await run(text, file: file, firstLine: firstLine)
            return 0
        } catch {
            return report(error, fallbackLocation: nil)
        }
    }

    /// Runs text as statements, throwing the first error (located).
    func run(_ text: String, file: String, firstLine: Int = 1) async throws {
        try await run(try Self.statements(text, file: file, firstLine: firstLine))
    }

    /// Runs one command: `$?` is its exit status; an error gets its location.
    nonisolated(nonsending) func runCommand(_ command: ParsedCommand) async throws {
        do {
            try await execute(command)
            session.setVariable("?", "0")
        } catch var e as SimshError {
            if e.location == nil { e.location = command.location }
            session.setVariable("?", String(e.exitStatus))
            throw e
        } catch let e as ExitRequest {
            throw e
        } catch is CancellationError {
            session.setVariable("?", "130")
            throw CancellationError()
        } catch {
            var e = SimshError.from(error)
            e.location = command.location
            session.setVariable("?", String(e.exitStatus))
            throw e
        }
    }

    /// Runs a script file inside the current one (`source`).
    package func runFile(_ path: String) async throws {
        guard session.sourceStack.count < Self.maxSourceDepth else {
            throw SimshError.usage("source nested more than \(Self.maxSourceDepth) deep")
        }
        guard let text = try AtomicFile.read(path) else { throw SimshError.io("cannot read \(path): no such file") }
        session.sourceStack.append(path)
        defer { session.sourceStack.removeLast() }
        try await run(text, file: path)
    }

    nonisolated(nonsending) func execute(_ command: ParsedCommand) async throws {
        session.markCommandStart()
        let words = try command.words.map { try $0.expanded(lookup: session.lookup) }
        // Most words hold no `*` at all: a byte test first (Foundation's `contains` costs far more).
        let typedMask = command.words.contains { word in
            guard let text = word.literalText, text.utf8.contains(UInt8(ascii: "*")) else { return false }
            return text.contains(Redactor.mask)
        }
        try refuseMasks(in: words, typed: typedMask)
        try await dispatch(words)
    }

    /// A masked value never goes out as if it were the secret (a command that only shows its
    /// words, such as `echo`, may hold one).
    func refuseMasks(in words: [String], typed: Bool) throws {
        guard let name = Redactor.maskedSecret(in: words) else { return }
        // A mask typed (a line from history) is refused everywhere: what was typed is gone.
        if !typed, session.commands.onlyShows(words) { return }
        throw SimshError.usage(
            typed
                ? "this line came from history with its secret masked; type the secret again"
                : "\(name) holds a mask (\(Redactor.mask)), not a secret; give the secret itself")
    }

    /// Runs one command given as words (`simsh users search number=100`): no lexing, no expansion.
    public func runWords(_ words: [String]) async -> Int32 {
        do {
            session.markCommandStart()
            try refuseMasks(in: words, typed: true)
            try await dispatch(words)
            return 0
        } catch {
            return report(error, fallbackLocation: nil)
        }
    }

    /// Runs what the words name, as the session's command set parses and runs it.
    nonisolated(nonsending) public func dispatch(_ words: [String]) async throws {
        guard !words.isEmpty else { return }
        try await session.commands.run(words, in: session)
    }

    /// Prints an error the one way errors are printed and returns its exit status.
    @discardableResult
    public func report(_ error: Error, fallbackLocation: SourceLocation?) -> Int32 {
        switch error {
        case let e as ExitRequest:
            return e.status
        case is CancellationError:
            let e = SimshError(.transport, "interrupted")
            session.output.error(e, status: 130)
            reported.append(e)
            return 130
        default:
            var e = SimshError.from(error)
            if e.location == nil { e.location = fallbackLocation }
            if session.isInteractive { e.location = nil }
            session.output.error(e)
            reported.append(e)
            return e.exitStatus
        }
    }
}
