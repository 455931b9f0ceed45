import ArgumentParser
import SimshRuntime

struct TraceCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace each request and answer on standard error, or stop",
        discussion: """
            trace on prints every request (> PUT /api/v4/setting/ping/act, headers, body) and answer \
            (< 200 OK (3.1 ms), headers, body) as -v does; trace timings adds when the first byte and \
            the whole answer arrived (-vv); trace off stops. Authentication headers, secret fields and \
            every known secret value are masked. Example: trace timings, then ping.
            """
    )

    enum State: String, ExpressibleByArgument, CaseIterable {
        case on, off, timings
    }

    @Argument(help: ArgumentHelp("on, off or timings", valueName: "state"))
    var state: State

    func run(in session: Session) async throws {
        switch state {
        case .on: session.traceLevel = 1
        case .off: session.traceLevel = 0
        case .timings: session.traceLevel = 2
        }
    }
}

extension TraceCommand: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Show each request and answer on stderr:",
            "simsh demo> trace on",
            "simsh demo> ping",
            "simsh demo> trace off")
    ]
}
