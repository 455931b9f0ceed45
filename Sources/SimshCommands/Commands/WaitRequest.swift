import ArgumentParser
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct WaitRequest: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Wait for a dialplan component's request and keep its fields as $event.FIELD",
        discussion: """
            Like wait event, for the requests of the component named NAME (its app_name) that reach the \
            listener: $event.src, $event.dst, $event.data, and $event.reply, the reply that was sent. \
            With --new, only a request that arrives after this command starts counts. \
            Example: answer ivr menu case=2, then wait request menu --timeout 30s.
            """
    )

    @Argument(help: ArgumentHelp("The component's name (app_name)", valueName: "name"))
    var name: String

    @Option(
        name: .customLong("where"), help: ArgumentHelp("Only a request whose FIELD has VALUE", valueName: "field=value")
    )
    var conditions: [FieldCondition] = []

    @Option(help: ArgumentHelp("How long to wait (default 10s)", valueName: "duration"))
    var timeout = DurationArgument(seconds: 10)

    @Flag(name: .customLong("new"), help: "Only a request that arrives after this command starts")
    var onlyNew = false

    func run(in session: Session) async throws {
        let app = FieldCondition("app_name=\(name)")!
        let event = try await session.waitForEvent(
            ReceivedEvent.componentName, where: [app] + conditions, seconds: timeout.seconds, onlyNew: onlyNew,
            label: "a request to \(name)")
        session.useEvent(event)
    }
}

extension WaitRequest: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Wait for a component's request, answered by a rule:",
            "answer ivr menu case=3",
            "wait request menu --timeout 60s",
            "expect $event.data == \"3\"")
    ]
}
