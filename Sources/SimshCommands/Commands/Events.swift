import ArgumentParser
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct Events: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List the events the listener recorded",
        discussion: """
            Each line: number, time, name and the fields that matter most. events show N prints one \
            whole; events use N makes it $event, as wait event does. Component requests are listed as \
            Component.
            """
                + " The \(EventCatalog.all.count) events Simotel sends: "
                + EventCatalog.all.map(\.name).joined(separator: ", ")
                + ". simsh-events(7) (help events) gives the key fields of each, how they are delivered and the"
                + " component webhooks.",
        subcommands: [
            EventsShow.self, EventsClear.self, EventsResend.self, EventsUse.self, EventsSearch.self, EventsFollow.self,
            EventsPurge.self, EventsExport.self,
        ]
    )

    @OptionGroup var selection: EventSelection

    @Option(help: ArgumentHelp("Only the last N", valueName: "n"))
    var last: Int?

    func run(in session: Session) async throws {
        let listener = try session.requireListener()
        var list = listener.store.all.filter(selection.matches)
        if let last { list = Array(list.suffix(last)) }
        if session.outputMode == .json {
            for e in list { session.output.json(e.typedJSON) }
            return
        }
        if list.isEmpty {
            session.output.line("no events" + (selection.isEmpty ? " yet" : " match"))
            return
        }
        for e in list { session.output.line(Session.describe(e, format: .pretty, style: session.output.style)) }
    }
}

/// `FIELD=VALUE` of `--where`.
extension FieldCondition: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `--name` and `--where`: which recorded events a command is about (`events`, `events resend`).
struct EventSelection: ParsableArguments {
    @Option(
        help: ArgumentHelp("Only events of this name", valueName: "name"),
        completion: .list(EventCatalog.all.map(\.name)))
    var name: String?

    @Option(
        name: .customLong("where"), help: ArgumentHelp("Only events whose FIELD has VALUE", valueName: "field=value"))
    var conditions: [FieldCondition] = []

    var isEmpty: Bool { name == nil && conditions.isEmpty }

    func matches(_ e: ReceivedEvent) -> Bool {
        (name.map { e.name.caseInsensitiveCompare($0) == .orderedSame } ?? true)
            && conditions.allSatisfy { e.matches($0.field, $0.value) }
    }
}

extension Events: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "The events received, newest last:",
            "simsh demo> events --last 5"),
        CommandExample(
            "Only some, by name and field:",
            "simsh demo> events --name Cdr --where disposition=ANSWERED"),
    ]
}
