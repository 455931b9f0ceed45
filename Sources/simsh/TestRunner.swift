import Foundation
import NIOConcurrencyHelpers
import SimshChecks
import SimshCommands
import SimshLanguage
import SimshRuntime

/// Runs `simsh test` and prints its progress, summary and reports.
struct TestRunner {
    let options: TestCommand

    /// A file name on one line that cannot drive the terminal.
    static func shown(_ file: String) -> String { CheckSummary.shown(file) }

    func run() async -> Int32 {
        let env = ProcessInfo.processInfo.environment
        let renderer = DiagnosticRenderer(color: Terminal.useColor(environment: env))
        // SUCCESS green, FAILURE red on a colour terminal (standard output).
        let style = Style(enabled: Terminal.useColor(environment: env, fd: STDOUT_FILENO))
        guard let files = scriptFiles(renderer) else { return 2 }
        let paths = SimshPaths.resolve(environment: env)
        guard profileExists(environment: env, paths: paths, renderer: renderer) else { return 2 }
        // The cases' own output stays whole in the reports; --quiet is about this console.
        var scripting = options.scripting
        scripting.quiet = false
        let runner = CheckRunner(
            files: files, jobs: options.jobs, options: scripting,
            connection: options.connecting.connection, environment: env, paths: paths,
            timeout: options.timeout?.seconds)
        // Ctrl-C or SIGTERM: the files running end as interrupted, the others do not start, and
        // the summary and reports are still written.
        let interrupts = Interrupts()
        interrupts.install(signals: [SIGINT, SIGTERM])
        interrupts.reopenLogsOnHangup()
        // Boxes, not `Mutex`es: the closures that share them escape.
        let writing = NIOLockedValueBox(())
        let say: @Sendable (String) -> Void = { text in
            writing.withLockedValue { _ in StdioSink.writeAll(STDOUT_FILENO, text) }
        }
        let verbose = options.scripting.verbose > 0
        // --quiet: only the failures and the summary.
        let quiet = options.scripting.quiet
        let clock = ContinuousClock()
        let start = clock.now
        let timestamp = Date()
        let interrupted = NIOLockedValueBox(false)
        interrupts.onInterrupt = { interrupted.withLockedValue { $0 = true } }
        let cases = await interrupts.cancellable {
            await runner.run(
                started: { if !quiet { say("\(Self.shown($0)): RUNNING\n") } },
                finished: { c in
                    if !quiet || !c.passed { say(Self.result(c, style: style)) }
                    // -v: the case's trace (and other diagnostics), after its result.
                    if verbose, !c.errorOutput.isEmpty {
                        writing.withLockedValue { _ in
                            StdioSink.writeAll(STDERR_FILENO, "== \(Self.shown(c.file))\n" + c.errorOutput)
                        }
                    }
                })
        }
        let d = clock.now - start
        let ms = d.milliseconds
        let passed = cases.filter(\.passed).count
        say(
            CheckSummary.text(
                cases, files: files.count, milliseconds: ms, interrupted: interrupted.withLockedValue { $0 }))
        let problems = CheckReports.write(
            cases, milliseconds: ms, timestamp: timestamp, junit: options.junit, tap: options.tap,
            htmlDirectory: options.html)
        for problem in problems { StdioSink.writeAll(STDERR_FILENO, renderer.render(problem) + "\n") }
        if interrupted.withLockedValue({ $0 }) { return 130 }
        if !problems.isEmpty { return 2 }
        return passed == cases.count ? 0 : 1
    }

    /// The .simsh files to run, or nil (said on stderr) when they cannot be listed or there are none.
    func scriptFiles(_ renderer: DiagnosticRenderer) -> [String]? {
        let files: [String]
        do {
            files = try CheckRunner.files(
                in: options.paths.isEmpty ? ["."] : options.paths, filter: options.filter, exclude: options.exclude)
        } catch {
            StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.from(error)) + "\n")
            return nil
        }
        guard !files.isEmpty else {
            StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.usage("test: no .simsh files to run")) + "\n")
            return nil
        }
        return files
    }

    /// Whether the profile asked for, if any, exists (else it is said on stderr).
    func profileExists(environment env: [String: String], paths: SimshPaths, renderer: DiagnosticRenderer) -> Bool {
        // A profile that does not exist is a usage error of simsh test, said once.
        guard case .profile(let name?) = options.connecting.connection else { return true }
        let probe = Session(
            output: Output(sink: BufferSink()), commands: Builtins(), environment: env, paths: paths)
        do {
            guard try probe.profile(named: name) != nil else { throw probe.unknownProfile(name) }
        } catch {
            StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.from(error)) + "\n")
            return false
        }
        return true
    }

    /// A file's result line, with its failures indented under it.
    static func result(_ c: CheckCase, style: Style) -> String {
        let file = shown(c.file)
        let outcome = c.passed ? style.success("SUCCESS") : style.failure("FAILURE")
        var text = "\(file): \(outcome) (\(Int(c.milliseconds.rounded())) ms)\n"
        let renderer = DiagnosticRenderer(color: style.enabled)
        for failure in c.failures {
            text +=
                Output.terminalSafe(renderer.render(failure)).split(separator: "\n").map { "  " + $0 }
                .joined(separator: "\n") + "\n"
        }
        if !c.passed && c.failures.isEmpty { text += "  exit status \(c.status)\n" }
        return text
    }
}
