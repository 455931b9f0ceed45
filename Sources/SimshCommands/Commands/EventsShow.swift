import ArgumentParser
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct EventsShow: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one event as pretty JSON")

    @Argument(help: ArgumentHelp("The event's number (#N)", valueName: "n"))
    var number: Int

    func run(in session: Session) async throws {
        let e = try session.requireListener().store.kept(number)
        if session.outputMode == .json {
            session.output.json(e.typedJSON)
        } else {
            session.output.line(e.json.serialized(pretty: true))
        }
    }
}

extension EventStore {
    /// Kept event number `n` (`events show N`, `events use N`), or a usage error saying in words
    /// why there is none: not arrived yet, or no longer kept.
    func kept(_ n: Int) throws -> ReceivedEvent {
        if let e = event(number: n) { return e }
        guard n >= 1 else { throw SimshError.usage("no event #\(n): events are numbered from 1") }
        let upcoming = upcomingSequence
        guard n < upcoming else {
            throw SimshError.usage(
                upcoming == 1
                    ? "no event #\(n): none has arrived yet" : "no event #\(n) yet: the last is #\(upcoming - 1)")
        }
        // Kept events are consecutive and end with the newest (clear and the limits drop the oldest).
        let count = usage.events
        guard count > 0 else {
            throw SimshError.usage("event #\(n) is no longer kept, nor any other (events clear, or the limits)")
        }
        throw SimshError.usage(
            "event #\(n) is no longer kept; the oldest kept is #\(upcoming - count) (events lists them)")
    }
}

extension EventsShow: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "One event whole, as received:",
            "simsh demo> events show 1")
    ]
}
