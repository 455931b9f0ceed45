import ArgumentParser
import Foundation
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct WaitEvent: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Wait for an event webhook and keep its fields as $event.FIELD",
        discussion: """
            Returns the first matching event received since the start of the previous command, so \
            ping then wait event Ping cannot miss an event that arrived first; an event a wait \
            returned is not returned again. With --new, only an event that arrives after this \
            command starts counts (not one already kept). \
            Its fields become variables ($event.unique_id, $event.state, ...); events use N makes a \
            kept event $event without waiting. \
            On timeout it fails with exit status 1 and says what did arrive. In a terminal, a wait \
            longer than 2 s shows what it waits for on standard error ("waiting for Transfer (60 s, \
            Ctrl-C to stop)…") and clears that line when it ends; scripts' files and pipes never get \
            it. Ctrl-C cancels the wait.
            """
    )

    @Argument(
        help: ArgumentHelp("Event name (Ping, NewState, Cdr, ...)", valueName: "name"),
        completion: .list(EventCatalog.all.map(\.name)))
    var name: String

    @Option(
        name: .customLong("where"), help: ArgumentHelp("Only an event whose FIELD has VALUE", valueName: "field=value"))
    var conditions: [FieldCondition] = []

    @Option(help: ArgumentHelp("How long to wait (default 10s)", valueName: "duration"))
    var timeout = DurationArgument(seconds: 10)

    @Flag(name: .customLong("new"), help: "Only an event that arrives after this command starts")
    var onlyNew = false

    func run(in session: Session) async throws {
        let event = try await session.waitForEvent(
            name, where: conditions, seconds: timeout.seconds, onlyNew: onlyNew)
        session.useEvent(event, brief: session.isInteractive && session.listener?.onEvent != nil)
    }
}

extension WaitEvent: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Ping, then wait for the Ping event:",
            "ping",
            "wait event Ping --timeout 5s"),
        CommandExample(
            "Wait for a Transfer still to come, not one already received:",
            "wait event Transfer --new --timeout 60s"),
        CommandExample(
            "Wait for an originated call's record:",
            "wait event Cdr --where originated_call_id=$response.data.originated_call_id --timeout 60s",
            "expect $event.disposition == \"ANSWERED\""),
    ]
}
