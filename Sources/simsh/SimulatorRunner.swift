import Foundation
import Logging
import NIOConcurrencyHelpers
import SimotelSimulator
import SimshLanguage
import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Runs `simsh simulator` until SIGINT or SIGTERM.
struct SimulatorRunner {
    let options: SimulatorCommand

    func run() async -> Int32 {
        let env = ProcessInfo.processInfo.environment
        let renderer = DiagnosticRenderer(color: Terminal.useColor(environment: env))
        var logger = Logger(label: "simsh.simulator") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = options.verbose ? .debug : .warning
        // --verbose: one line per request on stderr (method, path, status, time), never a secret.
        let writeLine: @Sendable (String) -> Void = { line in StdioSink.writeAll(STDERR_FILENO, line + "\n") }
        let requestLog = options.verbose ? writeLine : nil
        let config = SimulatorConfiguration(
            host: options.host, port: options.port, credentials: options.credentials,
            pingMethod: options.pingMethod, eventsTo: options.eventsTo, seedDemo: options.seed == "demo",
            outcomes: options.outcomes, requestLog: requestLog)
        let simulator = SimotelSimulator(configuration: config, logger: logger)
        let url: String
        do {
            url = try await simulator.start()
        } catch {
            StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.io("\(error)")) + "\n")
            return 3
        }
        let c = config.credentials
        var lines = ["Simotel simulator listening on \(url) (API at \(url)/api/v4/)"]
        var account = "auth \(c.mode.rawValue)"
        if let user = c.user { account += ", user \(user)" }
        if c == .documentationSample { account += " (the documentation's sample account; see simsh simulator --help)" }
        lines.append(account)
        lines.append("events: " + (config.eventsTo.map { "G4 POST JSON to \($0)" } ?? "not sent (use --events-to URL)"))
        let outcomes = simulator.outcomes.sorted { $0.key < $1.key }
        if !outcomes.isEmpty {
            lines.append("calls end: " + outcomes.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", "))
        }
        StdioSink.writeAll(STDOUT_FILENO, lines.joined(separator: "\n") + "\n")

        await Self.waitForTermination()
        await simulator.stop()
        return 0
    }

    static func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = NIOLockedValueBox(false)
            var sources: [DispatchSourceSignal] = []
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                s.setEventHandler {
                    let first = resumed.withLockedValue { resumed in
                        defer { resumed = true }
                        return !resumed
                    }
                    if first { continuation.resume() }
                }
                s.resume()
                sources.append(s)
            }
            withExtendedLifetime(sources) {}
            SignalSources.keep(sources)
        }
    }
}

/// Keeps signal sources alive for the life of the process.
enum SignalSources {
    nonisolated(unsafe) static var all: [DispatchSourceSignal] = []
    static func keep(_ s: [DispatchSourceSignal]) { all.append(contentsOf: s) }
}
