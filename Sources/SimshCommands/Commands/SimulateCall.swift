import ArgumentParser
import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime

struct SimulateCall: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Walk a call through a dialplan of API components, calling your services as Simotel would",
        discussion: """
            The dialplan is a small TOML file: start = "s1", then [components.NAME] tables with kind \
            (exten, trunk, ivr, smart), url, app_name (default: NAME) and cases = { CASE = "NEXT" }, where \
            NEXT is another component or an end (queue 900, extension 120, hangup). A relative FILE is \
            looked up beside the running script first, then in the current directory (as source does); \
            the first line says the file used. ${NAME} in the file is a variable of the session, else \
            an environment variable (an unknown name is an error naming its line); ${listener.url} is \
            the session's listener. A component with no url, or url = "listener", is answered by this \
            session's listener (listen events, then answer KIND NAME …). Each component's request goes \
            to its url and its reply must come within 1 s. Digits: GetData in a Smart API script and \
            each IVR API component take the next --digits entry and send it as data (the IVR to its own \
            service, GetData to the next component); Exten API and Trunk API take none. Smart API \
            commands run in order and Exit('x') follows case x; a bad reply, a timeout or an unknown \
            case leaves through output e. One line per step (request, reply, time, output chosen); exit \
            0 when the call reaches an end, 1 when it fails. Afterwards $walk holds the result: $walk.end \
            (where it ended in words: extension 120, queue 900, output e), $walk.ok, $walk.reason, \
            $walk.path (the components in order) and $walk.steps (each with component, kind, request, \
            reply, status, time_ms, output), so a script can check expect $walk.end == "extension 120". \
            Example: simulate call --dialplan support.toml --src 09155441 --dst 789 --digits 2
            """
    )

    @Option(help: ArgumentHelp("The dialplan (TOML)", valueName: "file"), completion: .file(extensions: ["toml"]))
    var dialplan: String

    @Option(help: ArgumentHelp("The caller's number", valueName: "number"))
    var src = "09155441"

    @Option(help: ArgumentHelp("The dialled number", valueName: "number"))
    var dst = "789"

    @Option(
        help: ArgumentHelp(
            "What the caller types at each GetData and IVR API component, comma-separated", valueName: "digits"))
    var digits: String?

    @Option(help: ArgumentHelp("How long each component waits for its reply (Simotel: 1s)", valueName: "duration"))
    var timeout = DurationArgument(seconds: ComponentKind.deadline)

    func run(in session: Session) async throws {
        let path = URL(fileURLWithPath: session.pathBesideScript(dialplan)).standardizedFileURL.path
        session.output.line("dialplan \(path)")
        session.walkValue = nil
        var plan = try Dialplan.load(path) { session.lookup($0) }
        try plan.answer(by: session.listener)
        let typed = digits.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        let output = session.output
        var walk = DialplanWalk(plan: plan, src: src, dst: dst, digits: typed)
        walk.deadline = timeout.seconds
        walk.trace = session.traceHook
        let outcome = await walk.run { output.line($0) }
        session.walkValue = outcome.json(dialplan: path, src: src, dst: dst)
        switch outcome.end {
        case .reached(let place): session.output.line("call reached \(place)")
        case .failed(_, let why): throw SimshError(.expectation, "the call failed: \(why)")
        }
    }
}

extension SimulateCall: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Walk a call through a dialplan of components:",
            "simsh> simulate call --dialplan scenario.toml --src 09155441 --dst 789 --digits 2")
    ]
}
