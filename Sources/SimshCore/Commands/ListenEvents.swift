import ArgumentParser
import Foundation
import SimotelWebhooks

struct ListenEvents: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Start the session's webhook listener and print the URLs to give Simotel",
        discussion: """
            Accepts every delivery variant Simotel uses: G (one URL, event_name in the data) and Rest \
            (event name as the last path segment), GET with query parameters, POST with a JSON body (v4), \
            POST with a form body or query parameters (v2, v3). \
            A valid event is recorded (and logged with --log) before it is answered 200. \
            With --user and --password, requests without those Basic credentials get 401. \
            Bodies over 1 MiB get 413, unparsable ones 400. \
            In the shell each event is printed above the prompt; in a script only with --format.
            """)

    @Option(help: "Address to listen on (0.0.0.0 for every interface)")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one)")
    var port = 0

    @Option(help: ArgumentHelp("Path prefix events arrive under", valueName: "path"))
    var path = "/"

    @Option(help: "Require HTTP Basic credentials: user")
    var user: String?

    @Option(help: "Require HTTP Basic credentials: password")
    var password: String?

    @Option(help: ArgumentHelp("Append one JSON line per event to this file", valueName: "file"))
    var log: String?

    @Option(help: ArgumentHelp("Record only these events (comma-separated names)", valueName: "names"))
    var events: String?

    @Option(name: .customLong("forward-to"), help: ArgumentHelp("Send every event on to this URL", valueName: "url"))
    var forwardTo: String?

    @Option(
        name: .customShort("H"),
        help: ArgumentHelp("Header to add when forwarding ('Name: value')", valueName: "header"))
    var headers: [String] = []

    @Option(help: ArgumentHelp("How many events to keep (oldest dropped first)", valueName: "n"))
    var keep = 10_000

    @Flag(help: "Do not print events as they arrive")
    var quiet = false

    @Option(help: ArgumentHelp("How to print events: pretty or json", valueName: "format"))
    var format: EventFormatArgument?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if (user == nil) != (password == nil) { throw ValidationError("give --user and --password together") }
        if keep < 1 { throw ValidationError("--keep must be at least 1") }
        for h in headers where !h.contains(":") { throw ValidationError("-H wants 'Name: value', not '\(h)'") }
        if let forwardTo, !(forwardTo.hasPrefix("http://") || forwardTo.hasPrefix("https://")) {
            throw ValidationError("--forward-to must be an http:// or https:// URL")
        }
    }

    func run(in session: Session) async throws {
        if let running = session.listener {
            session.output.line("already listening on \(running.url) (listen status for details, listen stop to stop)")
            return
        }
        var prefix = path.hasPrefix("/") ? path : "/" + path
        if prefix.count > 1 && prefix.hasSuffix("/") { prefix.removeLast() }
        let config = ListenerConfiguration(
            host: host, port: port, path: prefix, basicAuth: user.map { ($0, password ?? "") }, logFile: log,
            eventFilter: events.map {
                Swift.Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            },
            forwardTo: forwardTo,
            forwardHeaders: headers.map { h in
                let i = h.firstIndex(of: ":")!
                return (
                    String(h[..<i]).trimmingCharacters(in: .whitespaces),
                    String(h[h.index(after: i)...]).trimmingCharacters(in: .whitespaces)
                )
            },
            keep: keep)
        let display: EventFormat? = quiet ? nil : (format?.value ?? (session.isInteractive ? .pretty : nil))
        let listener = try await session.startListener(config, display: display)
        let url = listener.url
        session.output.line("listening on \(url)")
        session.output.line("  G form:    API address \(url)")
        session.output.line("  Rest form: API address \(url)  (events arrive at \(url)<EventName>)")
        if user != nil { session.output.line("  Basic auth required: set API Username and API Password in Simotel") }
        if let forwardTo { session.output.line("  forwarding to \(forwardTo)") }
        if let log { session.output.line("  logging to \(log)") }
    }
}

/// `--format pretty|json` for events.
struct EventFormatArgument: ExpressibleByArgument {
    var value: EventFormat
    init?(argument: String) {
        guard let v = EventFormat(rawValue: argument) else { return nil }
        value = v
    }
    static var allValueStrings: [String] { EventFormat.allCases.map(\.rawValue) }
}
