import Foundation
import LineEditor
import Logging
import SimshCommands
import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Wires a session to real stdio and runs it in the mode the options pick.
struct ShellRunner {
    let options: ShellMode

    static func makeSession(verbose: Bool, output mode: OutputMode? = nil, color: ColorMode = .auto) -> (
        Session, StdioSink
    ) {
        let env = ProcessInfo.processInfo.environment
        let sink = StdioSink()
        var logger = Logger(label: "simsh") { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = verbose ? .debug : .warning
            return h
        }
        logger.logLevel = verbose ? .debug : .warning
        let session = Session(
            output: Output(
                sink: sink, color: Terminal.useColor(environment: env, mode: color),
                colorOutput: Terminal.useColor(environment: env, fd: STDOUT_FILENO, mode: color)),
            commands: Builtins(),
            environment: env,
            logger: logger)
        session.outputMode = mode ?? .auto
        session.terminalWidth = { Terminal.width() }
        // Long help and tables through $PAGER on a terminal (`run` takes it away from scripts).
        sink.pager = Terminal.stdoutIsTTY ? Pager(environment: env) : nil
        return (session, sink)
    }

    func run() async -> Int32 {
        let opts = options
        if opts.version {
            StdioSink.writeAll(STDOUT_FILENO, "simsh \(SimshVersion.text)\n")
            return 0
        }
        let (session2, sink) = Self.makeSession(
            verbose: opts.scripting.verbose > 2, output: opts.output, color: opts.colorMode)
        let interpreter = Interpreter(session: session2)
        do {
            session2.setStoreOption(opts.storing.choice)
            try opts.scripting.apply(to: session2, interpreter: interpreter)
        } catch {
            return interpreter.report(error, fallbackLocation: nil)
        }
        let interrupts = Interrupts()
        interrupts.install()
        // `simsh -` reads the script from stdin even on a terminal.
        let explicitStdin = opts.script.first == "-"
        let interactive = opts.command == nil && opts.script.isEmpty && Terminal.stdinIsTTY && Terminal.stdoutIsTTY
        let scriptFromStdin = opts.command == nil && (opts.script.isEmpty || explicitStdin) && !interactive
        session2.isInteractive = interactive
        if !interactive { interrupts.reopenLogsOnHangup() }
        session2.outputIsTerminal = Terminal.stdoutIsTTY
        // A pager for the shell and one-shot commands (`-c`, `simsh users search`), never for scripts.
        let commandWords = opts.script.first.map { $0 != "-" && Self.isCommandWord($0) } ?? false
        if !(interactive || opts.command != nil || commandWords) { sink.pager = nil }
        if !(scriptFromStdin && !Terminal.stdinIsTTY) {
            session2.readSecret = { prompt in Terminal.readSecret(prompt: prompt) }
        }

        let status = await start(session2, interpreter: interpreter)
        if status != 0 {
            await session2.close()
            return status
        }
        let result: Int32
        if let command = opts.command {
            result = await interrupts.cancellable { await interpreter.runScript(command, file: "-c") }
        } else if let first = opts.script.first, first != "-", Self.isCommandWord(first) {
            // `simsh users search number=100`: a first word that is no file and no .simsh is a command.
            let words = TrailingQuiet.split(opts.script, quieting: session2.output)
            result = await interrupts.cancellable { await interpreter.runWords(words) }
        } else if let file = opts.script.first, file != "-" {
            result = await interrupts.cancellable {
                await interpreter.runScriptFile(file, arguments: Array(opts.script.dropFirst()))
            }
        } else if interactive {
            result = await Repl(session: session2, interpreter: interpreter, interrupts: interrupts, sink: sink).run()
        } else if !Terminal.stdinIsTTY {
            // A script piped in is a script: read whole, parsed before anything runs.
            result = await interrupts.cancellable {
                await interpreter.runScriptBytes(await Self.readAllStdin(), file: "<stdin>")
            }
        } else {
            result = await interrupts.cancellable { await Self.runStdin(interpreter) }
        }
        await session2.close()
        return result
    }

    /// True for a first word that names no file and does not end in `.simsh`: a command.
    static func isCommandWord(_ word: String) -> Bool {
        !word.hasSuffix(".simsh") && !FileManager.default.fileExists(atPath: word)
    }

    /// Connects as the options say (`--demo`, `-p`, `SIMSH_URL`, the default profile).
    func start(_ session: Session, interpreter: Interpreter) async -> Int32 {
        do {
            try await session.connect(at: options.connecting.connection)
            return 0
        } catch {
            return interpreter.report(error, fallbackLocation: nil)
        }
    }

    /// All of standard input, read on a thread of its own (a blocking read must not hold a
    /// cooperative thread).
    static func readAllStdin() async -> [UInt8] {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var all: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = read(STDIN_FILENO, &buffer, buffer.count)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    all.append(contentsOf: buffer[0..<n])
                }
                continuation.resume(returning: all)
            }
        }
    }

    /// Reads a script typed on a terminal (`simsh -`) line by line and runs each complete command as it arrives;
    /// the first failing command ends the run.
    static func runStdin(_ interpreter: Interpreter) async -> Int32 {
        var pending = ""
        var firstLine = 1
        var lineNumber = 0
        for await line in stdinLines() {
            if Task.isCancelled { break }
            lineNumber += 1
            pending += (pending.isEmpty ? "" : "\n") + line
            if Interpreter.needsMoreInput(pending) { continue }
            let status = await interpreter.runChunk(pending, file: "<stdin>", firstLine: firstLine)
            pending = ""
            firstLine = lineNumber + 1
            if status != 0 { return status }
        }
        if Task.isCancelled { return interpreter.report(CancellationError(), fallbackLocation: nil) }
        if !pending.isEmpty { return await interpreter.runChunk(pending, file: "<stdin>", firstLine: firstLine) }
        return 0
    }

    /// Lines of stdin, read on a thread of their own (a blocking read must not hold a
    /// cooperative thread).
    static func stdinLines() -> AsyncStream<String> {
        AsyncStream(bufferingPolicy: .bufferingOldest(1024)) { continuation in
            let thread = Thread {
                while let line = Terminal.readRawLine(STDIN_FILENO) {
                    while case .dropped = continuation.yield(line) { usleep(1000) }
                }
                continuation.finish()
            }
            thread.start()
        }
    }

    /// `simsh ping` and the like: one command's words, connected as at start-up, run the way
    /// `simsh users search …` and every script line run (the interpreter's words path, Ctrl-C
    /// cancelling it).
    static func oneShot(_ words: [String], quiet: Bool) async -> Int32 {
        let (session, _) = makeSession(verbose: false)
        session.output.quiet = quiet
        let interpreter = Interpreter(session: session)
        session.readSecret = { Terminal.readSecret(prompt: $0) }
        let interrupts = Interrupts()
        interrupts.install()
        var status: Int32
        do {
            try await session.connectAtStart(profile: nil)
            status = await interrupts.cancellable { await interpreter.runWords(words) }
        } catch {
            status = interpreter.report(error, fallbackLocation: nil)
        }
        await session.close()
        return status
    }
}
