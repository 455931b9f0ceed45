import ArgumentParser
import Foundation
import SimotelKit
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct ListenEvents: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Start the session's webhook listener and print the URLs to give Simotel",
        discussion: """
            Accepts every delivery variant Simotel uses: G (one URL, event_name in the data) and Rest \
            (event name as the last path segment), GET with query parameters, POST with a JSON body (v4), \
            POST with a form body or query parameters (v2, v3). \
            A valid event is recorded (and logged with --log) before it is answered 200. \
            With --user and a password (--password-env VAR, --password-stdin, or --password, which other \
            users of the machine can see in the process list), requests without those Basic credentials \
            get 401; a profile's listen_user and listen_password or listen_password_env are used when no \
            --user is given. \
            Only the G path itself and PATH/EventName (Rest, any case) are event addresses; other paths get 404. \
            Bodies over 1 MiB get 413, header fields over 80 KiB 431, unparsable requests 400; a request \
            must arrive whole within 30 s (408: the connection is closed). \
            Each refused request prints one line, above the prompt in the shell and on standard error in \
            scripts: the time, method, path, sender's address, status and why (401: no Basic credentials; \
            this listener expects user 'u'; never the password); at most one a second for each kind of \
            refusal, then one line counting the others (… and 19 more). listen status counts them by \
            status and reason, with the last sender. \
            A body that is not RFC 8259 JSON but what Simotel's own samples print is accepted leniently, \
            recorded and logged as the JSON it means with a "lenient" note: a Python literal (single quotes, \
            None, True, False: the OutgoingFax, Survey and AutoDialerReport samples) or a number with a \
            leading zero, kept as the string of its digits (the IncomingCall sample's 09331112233). \
            Each kind is warned of once and counted by listen status; with --strict such bodies get 400. \
            An event the log cannot take is answered 503 (Simotel sends it again), with one warning; \
            a write cut short (a full disk) is cut back to its last whole line. \
            A log moved or deleted under the listener (logrotate, mv, rm) is noticed at the next event, \
            which goes to a new file at its path. \
            In a script, with -c and in simsh test, SIGHUP opens the log at its path again instead of \
            ending simsh (logrotate's convention: postrotate kill -HUP); in the interactive shell SIGHUP \
            still ends the shell. \
            Kept events are bounded by --keep and --keep-bytes, oldest dropped first; the requests rule \
            scripts are answering count against --keep-bytes too, and one past it is answered {"ok":"0"} \
            at once, with a warning. \
            A credential header given with -H is masked wherever simsh writes; on simsh's own command \
            line it shows in the process list: write it as a variable, simsh --secret-env TOKEN -c \
            'listen events --forward-to URL -H "Authorization: Bearer $TOKEN"'. \
            In the shell each event is printed above the prompt; in a script only with --format.
            """
    )

    @Option(help: "Address to listen on (0.0.0.0 for every interface)")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one)")
    var port = 0

    @Option(help: ArgumentHelp("Path prefix events arrive under", valueName: "path"))
    var path = "/"

    @Option(help: "Require HTTP Basic credentials: user")
    var user: String?

    @OptionGroup var passwordOptions: PasswordOptions

    @Option(help: ArgumentHelp("Append one JSON line per event to this file", valueName: "file"), completion: .file())
    var log: String?

    @Option(help: ArgumentHelp("Record only these events (comma-separated names)", valueName: "names"))
    var events: String?

    @Option(name: .customLong("forward-to"), help: ArgumentHelp("Send every event on to this URL", valueName: "url"))
    var forwardTo: String?

    @Option(
        name: .customShort("H"),
        help: ArgumentHelp(
            "Header to add when forwarding ('Name: value'); a credential (Authorization, X-APIKEY, …) is "
                + "masked in history and recordings",
            valueName: "header"))
    var headers: [String] = []

    @Option(help: ArgumentHelp("How many events to keep (oldest dropped first)", valueName: "n"))
    var keep = 10_000

    @Option(
        name: .customLong("keep-bytes"),
        help: ArgumentHelp("How much memory kept events may take, e.g. 64MiB (oldest dropped first)", valueName: "size")
    )
    var keepBytes: ByteSizeArgument = ByteSizeArgument(bytes: 64 << 20)

    @Flag(help: "Do not print events as they arrive")
    var quiet = false

    @Option(help: ArgumentHelp("How to print events: pretty or json", valueName: "format"))
    var format: EventFormatArgument?

    @Flag(help: "Answer 400 to a body that is not RFC 8259 JSON, even one Simotel's docs print (a Python literal)")
    var strict = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if (user == nil) != (passwordOptions.given == 0) {
            throw ValidationError("give --user with a password (--password-env, --password-stdin or --password)")
        }
        if keep < 1 { throw ValidationError("--keep must be at least 1") }
        for h in headers where !h.contains(":") { throw ValidationError("-H wants 'Name: value', not '\(h)'") }
        if let forwardTo, !(forwardTo.hasPrefix("http://") || forwardTo.hasPrefix("https://")) {
            throw ValidationError("--forward-to must be an http:// or https:// URL")
        }
    }

    func run(in session: Session) async throws {
        if let running = session.listener {
            // Options the running listener would not take are an error, not silently dropped.
            if let given = optionsGiven.first {
                throw SimshError.usage(
                    "already listening on \(running.url); listen stop first to listen with \(given) (and the rest)")
            }
            session.output.line("already listening on \(running.url) (listen status for details, listen stop to stop)")
            return
        }
        // `user:password@` in --forward-to is sent as Basic auth; the URL shown holds no password.
        let forward = forwardTo.map { session.receiver($0) }
        var prefix = path.hasPrefix("/") ? path : "/" + path
        if prefix.count > 1 && prefix.hasSuffix("/") { prefix.removeLast() }
        let config = ListenerConfiguration(
            host: host, port: port, path: prefix, basicAuth: try credentials(in: session), logFile: log,
            eventFilter: events.map {
                Swift.Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            },
            forwardTo: forward?.url, forwardHeaders: forwardHeaders(forward?.basicAuth),
            keep: keep, keepBytes: keepBytes.bytes, strict: strict)
        let display: EventFormat? = quiet ? nil : (format?.value ?? (session.isInteractive ? .pretty : nil))
        let listener = try await session.startListener(config, display: display)
        let url = listener.url
        session.output.info("listening on \(url)")
        session.output.info("  G form:    API address \(url)")
        session.output.info("  Rest form: API address \(url)  (events arrive at \(url)<EventName>)")
        if config.basicAuth != nil {
            session.output.info("  Basic auth required: set API Username and API Password in Simotel")
        }
        if let forward { session.output.info("  forwarding to \(forward.url)") }
        if let log { session.output.info("  logging to \(log)") }
        if strict { session.output.info("  strict: bodies that are not RFC 8259 JSON get 400") }
    }
}

extension ListenEvents {
    /// The options given that change what a listener does (the first is named when one runs already).
    var optionsGiven: [String] {
        let given: [(Bool, String)] = [
            (host != "127.0.0.1", "--host"), (port != 0, "--port"), (path != "/", "--path"), (user != nil, "--user"),
            (log != nil, "--log"), (events != nil, "--events"), (forwardTo != nil, "--forward-to"),
            (!headers.isEmpty, "-H"), (strict, "--strict"),
        ]
        return given.filter(\.0).map(\.1)
    }

    /// The -H headers as pairs, with Basic credentials from `user:password@` in --forward-to
    /// unless an Authorization header is given.
    func forwardHeaders(_ fromURL: (user: String, password: String)?) -> [(String, String)] {
        var pairs = headers.map { h in
            let i = h.firstIndex(of: ":")!
            return (
                String(h[..<i]).trimmingCharacters(in: .whitespaces),
                String(h[h.index(after: i)...]).trimmingCharacters(in: .whitespaces)
            )
        }
        if let fromURL, !pairs.contains(where: { $0.0.lowercased() == "authorization" }) {
            pairs.append(ReceiverURL.header(fromURL))
        }
        return pairs
    }

    /// The Basic credentials to require: the options, else the active profile's listener settings.
    func credentials(in session: Session) throws -> (user: String, password: String)? {
        if let user, let password = try passwordOptions.value("listener password", in: session) {
            return (user, password)
        }
        return try session.active?.profile.listenerCredentials(environment: session.environment)
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

extension ListenEvents: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Receive events on port 8089, logged to a file:",
            "simsh> listen events --port 8089 --log events.jsonl",
            "listening on http://127.0.0.1:8089/"),
        CommandExample(
            "Require Simotel's Basic credentials, on every interface:",
            "simsh> listen events --host 0.0.0.0 --port 8089 --user simotel --password-env HOOK_PASSWORD"),
    ]
}
