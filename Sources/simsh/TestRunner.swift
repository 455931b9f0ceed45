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
    static func shown(_ file: String) -> String {
        Output.terminalSafe(file.replacingOccurrences(of: "\n", with: "\u{FFFD}"))
    }

    func run() async -> Int32 {
        let env = ProcessInfo.processInfo.environment
        let renderer = DiagnosticRenderer(color: Terminal.useColor(environment: env))
        let files: [String]
        do {
            files = try CheckRunner.files(in: options.paths.isEmpty ? ["."] : options.paths, filter: options.filter)
        } catch {
            StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.from(error)) + "\n")
            return 2
        }
        guard !files.isEmpty else {
            StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.usage("test: no .simsh files to run")) + "\n")
            return 2
        }
        let paths = SimshPaths.resolve(environment: env)
        // A profile that does not exist is a usage error of simsh test, said once.
        if case .profile(let name?) = options.connecting.connection {
            let probe = Session(
                output: Output(sink: BufferSink()), commands: Builtins(), environment: env, paths: paths)
            do {
                guard try probe.profile(named: name) != nil else { throw probe.unknownProfile(name) }
            } catch {
                StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.from(error)) + "\n")
                return 2
            }
        }
        let runner = CheckRunner(
            files: files, jobs: options.jobs, options: options.scripting,
            connection: options.connecting.connection, environment: env, paths: paths,
            timeout: options.timeout?.seconds)
        // Ctrl-C or SIGTERM: the files running end as interrupted, the others do not start, and
        // the summary and reports are still written.
        let interrupts = Interrupts()
        interrupts.install(signals: [SIGINT, SIGTERM])
        interrupts.reopenLogsOnHangup()
        let lock = NSLock()
        let say: @Sendable (String) -> Void = { text in lock.withLock { StdioSink.writeAll(STDOUT_FILENO, text) } }
        let verbose = options.scripting.verbose > 0
        let clock = ContinuousClock()
        let start = clock.now
        let timestamp = Date()
        let interrupted = NIOLockedValueBox(false)
        interrupts.onInterrupt = { interrupted.withLockedValue { $0 = true } }
        let cases = await interrupts.cancellable {
            await runner.run(
                started: { say("\(Self.shown($0)): RUNNING\n") },
                finished: { c in
                    let file = Self.shown(c.file)
                    var text = "\(file): \(c.passed ? "SUCCESS" : "FAILURE") (\(Int(c.milliseconds.rounded())) ms)\n"
                    for failure in c.failures {
                        text +=
                            Output.terminalSafe(renderer.render(failure)).split(separator: "\n").map { "  " + $0 }
                            .joined(separator: "\n") + "\n"
                    }
                    if !c.passed && c.failures.isEmpty { text += "  exit status \(c.status)\n" }
                    say(text)
                    // -v: the case's trace (and other diagnostics), after its result.
                    if verbose, !c.errorOutput.isEmpty {
                        lock.withLock { StdioSink.writeAll(STDERR_FILENO, "== \(file)\n" + c.errorOutput) }
                    }
                })
        }
        let d = clock.now - start
        let ms = d.milliseconds
        let passed = cases.filter(\.passed).count
        func share(_ n: Int) -> String { String(format: "%.1f%%", Double(n) * 100 / Double(max(1, cases.count))) }
        say(
            String(repeating: "-", count: 80) + "\n"
                + "Executed files:  \(cases.count)\n"
                + "Succeeded files: \(passed) (\(share(passed)))\n"
                + "Failed files:    \(cases.count - passed) (\(share(cases.count - passed)))\n"
                + "Duration:        \(Int(ms.rounded())) ms\n"
                + (interrupted.withLockedValue { $0 }
                    ? "Interrupted: \(files.count - cases.count) files not run\n" : ""))
        let problems = CheckReports.write(
            cases, milliseconds: ms, timestamp: timestamp, junit: options.junit, tap: options.tap,
            htmlDirectory: options.html)
        for problem in problems { StdioSink.writeAll(STDERR_FILENO, renderer.render(problem) + "\n") }
        if interrupted.withLockedValue({ $0 }) { return 130 }
        if !problems.isEmpty { return 2 }
        return passed == cases.count ? 0 : 1
    }
}
