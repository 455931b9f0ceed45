import ArgumentParser
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
            (--> [200] POST http://app/hooks/NewState (3 ms)). An event that cannot be delivered fails \
            its line, not the rest; the command then ends with exit 3. Choose events by number \
            (events lists them) or by --name and --where. Example: events resend --name Cdr --to \
            http://127.0.0.1:8000/hooks
            """
    )

    @Argument(help: ArgumentHelp("Event numbers (as events shows them)", valueName: "n"))
    var numbers: [Int] = []

    @OptionGroup var selection: EventSelection

    @Option(help: ArgumentHelp("Where to send them (default: the listener's --forward-to)", valueName: "url"))
    var to: String?

    func run(in session: Session) async throws {
        let listener = try session.requireListener()
        guard !numbers.isEmpty || !selection.isEmpty else {
            throw SimshError.usage("events resend: give event numbers, --name or --where")
        }
        guard let target = to ?? listener.configuration.forwardTo else {
            throw SimshError.usage("events resend: nowhere to send them: give --to URL (or listen events --forward-to)")
        }
        let all = listener.store.all
        var chosen = all.filter { e in (numbers.isEmpty || numbers.contains(e.sequence)) && selection.matches(e) }
        if let missing = numbers.first(where: { n in !all.contains { $0.sequence == n } }) {
            throw SimshError.usage("events resend: no event #\(missing) is kept (events lists them)")
        }
        chosen.sort { $0.sequence < $1.sequence }
        guard !chosen.isEmpty else { throw SimshError.usage("events resend: no recorded event matches") }
        let headers = to == nil ? listener.configuration.forwardHeaders : []
        var failed = 0
        for event in chosen {
            try Task.checkCancellation()
            let (line, ok) = await WebhookListener.send(event, to: target, headers: headers)
            session.output.line(line)
            if !ok { failed += 1 }
        }
        if failed > 0 {
            throw SimshError.io("\(failed) of \(chosen.count) event\(chosen.count == 1 ? "" : "s") not delivered")
        }
    }
}

extension EventsResend: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Send an event again, as it arrived, to another receiver:",
            "simsh demo> events resend 3 --to http://127.0.0.1:9000/hooks")
    ]
}
