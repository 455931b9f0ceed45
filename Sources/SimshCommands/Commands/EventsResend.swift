import ArgumentParser
import Foundation
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct EventsResend: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "resend",
        abstract: "Send recorded events again, exactly as they arrived, to the forward target or a URL",
        discussion: """
            Like stripe-cli's events resend: each chosen event goes out with the method, path (below the \
            listener's address), query, body and Content-Type it arrived with, one --> line each \
            (--> [200] POST http://app/hooks/NewState (3 ms)), then a summary line. An event that \
            cannot be delivered fails its line, not the rest; the command then ends with exit 3. \
            Choose events by number (events lists them) or by --name and --where. Events go one at a \
            time, each when the one before is answered; --rate 10/s (or 600/m) paces them.

            --file FILE replays an event log (the JSON lines listen events --log writes; no listener \
            needed): its events, or those --name and --where choose, go to --to URL in the variant \
            each arrived in, as Simotel sent them: G or Rest address (Rest: the recorded event path), \
            the recorded query as it came, a JSON body for a v4 POST, form fields for a v2/v3 POST, \
            no body for a GET. The log keeps fields, not bytes: a body is the logged fields written \
            again. The file is read line by line as it is sent (a log of any size); blank lines are \
            skipped; a line that is not an event of a log, or longer than 8 MiB, stops the command \
            there (FILE:LINE: why, exit 2), after the events before it were sent. Example: events \
            resend --file events.jsonl --to http://127.0.0.1:8000/hooks --name Cdr --rate 10/s
            """
    )

    @Argument(help: ArgumentHelp("Event numbers (as events shows them)", valueName: "n"))
    var numbers: [Int] = []

    @OptionGroup var selection: EventSelection

    @Option(help: ArgumentHelp("Where to send them (default: the listener's --forward-to)", valueName: "url"))
    var to: String?

    @Option(
        help: ArgumentHelp("Replay this event log (JSON lines, as listen events --log writes)", valueName: "file"),
        completion: .file(extensions: ["jsonl", "log"]))
    var file: String?

    @Option(help: ArgumentHelp("At most this many events a second (10/s) or minute (600/m)", valueName: "rate"))
    var rate: ResendRate?

    func validate() throws {
        if file != nil && !numbers.isEmpty {
            throw ValidationError("choose events of a --file by --name and --where, not by number")
        }
    }

    /// An http(s) URL (its `user:password@`, sent as Basic auth, masked from now on), before anything is sent.
    static func check(_ target: String, in session: Session) throws {
        let lower = target.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw SimshError.usage("events resend: --to must be an http:// or https:// URL")
        }
        _ = session.receiver(target)
    }

    func run(in session: Session) async throws {
        if let file {
            guard let target = to ?? session.listener?.configuration.forwardTo else {
                throw SimshError.usage("events resend: nowhere to send them: give --to URL")
            }
            try Self.check(target, in: session)
            let headers = to == nil ? session.listener?.configuration.forwardHeaders ?? [] : []
            try await resend(file: file, to: target, headers: headers, in: session)
            return
        }
        let listener = try session.requireListener()
        guard !numbers.isEmpty || !selection.isEmpty else {
            throw SimshError.usage("events resend: give event numbers, --name, --where or --file")
        }
        guard let target = to ?? listener.configuration.forwardTo else {
            throw SimshError.usage("events resend: nowhere to send them: give --to URL (or listen events --forward-to)")
        }
        try Self.check(target, in: session)
        let all = listener.store.all
        var chosen = all.filter { e in (numbers.isEmpty || numbers.contains(e.sequence)) && selection.matches(e) }
        if let missing = numbers.first(where: { n in !all.contains { $0.sequence == n } }) {
            throw SimshError.usage("events resend: no event #\(missing) is kept (events lists them)")
        }
        chosen.sort { $0.sequence < $1.sequence }
        guard !chosen.isEmpty else { throw SimshError.usage("events resend: no recorded event matches") }
        let headers = to == nil ? listener.configuration.forwardHeaders : []
        var tally = ResendTally(pacing: rate)
        for event in chosen {
            try await tally.send(event, to: target, headers: headers, in: session)
        }
        try tally.finish(in: session)
    }
}

/// What was sent and how it went, and the pace: one line per event, a summary at the end.
struct ResendTally {
    var pacing: ResendRate?
    var sent = 0
    var failed = 0
    private var started: ContinuousClock.Instant?

    init(pacing: ResendRate?) { self.pacing = pacing }

    /// Waits for the event's turn (`--rate`), sends it and prints its line.
    mutating func send(
        _ event: ReceivedEvent, to target: String, headers: [(String, String)], in session: Session
    ) async throws {
        try Task.checkCancellation()
        if let pacing {
            let start = started ?? ContinuousClock.now
            started = start
            try await Task.sleep(until: start + pacing.interval * sent, clock: .continuous)
        }
        let (line, ok) = await WebhookListener.send(event, to: target, headers: headers, trace: session.traceHook)
        session.output.line(line)
        sent += 1
        if !ok { failed += 1 }
    }

    /// `4 events sent: 3 delivered, 1 failed` (`of`: where they came from); exit 3 when any failed.
    func finish(in session: Session, of source: String = "") throws {
        let delivered = "\(sent - failed) delivered" + (failed > 0 ? ", \(failed) failed" : "")
        session.output.line("\(sent) event\(sent == 1 ? "" : "s")\(source) sent: \(delivered)")
        if failed > 0 {
            throw SimshError.io("\(failed) of \(sent) event\(sent == 1 ? "" : "s") not delivered")
        }
    }
}

/// `--rate 10/s`, `600/m`, `2.5/s` or `10` (a second): the least time between two sends.
struct ResendRate: ExpressibleByArgument, Sendable {
    var interval: Duration

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "/", maxSplits: 1).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let periods: [String: Double] = ["": 1, "s": 1, "sec": 1, "m": 60, "min": 60]
        guard let first = parts.first, let count = Double(first), count.isFinite, count > 0, count <= 1_000_000,
            let period = periods[parts.count > 1 ? parts[1] : ""]
        else { return nil }
        interval = .seconds(period / count)
    }
}

extension EventsResend: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Send an event again, as it arrived, to another receiver:",
            "simsh demo> events resend 3 --to http://127.0.0.1:9000/hooks"),
        CommandExample(
            "Replay the Cdr events of a log to your app, ten a second:",
            "simsh> events resend --file events.jsonl --name Cdr --to http://127.0.0.1:8000/hooks --rate 10/s"),
    ]
}
