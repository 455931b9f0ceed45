import ArgumentParser
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct EventsUse: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "use",
        abstract: "Make a kept event $event, as wait event does when one matches",
        discussion: """
            Event N (the number events and events show give it: #N) becomes $event without waiting: \
            its fields as $event.FIELD, with $event.event_name and $event.seq, so expect lines can be \
            tried on an event that already arrived. An N not arrived yet, or no longer kept, is an error \
            that says which.
            """)

    @Argument(help: ArgumentHelp("The event's number (#N)", valueName: "n"))
    var number: Int

    func run(in session: Session) async throws {
        guard case .event(let event) = try await session.numberedRecord(number) else {
            throw SimshError.usage("#\(number) is an API request, not an event (events show \(number) prints it)")
        }
        session.useEvent(event)
    }
}

extension EventsUse: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Check a Cdr that already arrived:",
            "simsh demo> events --name Cdr",
            "simsh demo> events use 4",
            "simsh demo> expect $event.disposition == \"ANSWERED\"")
    ]
}
