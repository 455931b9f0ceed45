import ArgumentParser
import SimshLanguage
import SimshRuntime

struct EventsShow: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one event as pretty JSON")

    @Argument(help: ArgumentHelp("The event's number (#N)", valueName: "n"))
    var number: Int

    func run(in session: Session) async throws {
        let listener = try session.requireListener()
        guard let e = listener.store.event(number: number) else {
            throw SimshError.usage("no event #\(number) (events lists the ones kept)")
        }
        if session.outputMode == .json {
            session.output.json(e.json)
        } else {
            session.output.line(e.json.serialized(pretty: true))
        }
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
