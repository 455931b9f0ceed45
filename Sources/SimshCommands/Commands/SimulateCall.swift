import ArgumentParser
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
            NEXT is another component or an end (queue 900, extension 120, hangup). Each component's \
            request goes to its url and its reply must come within 1 s; Smart API commands run in order: \
            GetData takes the next --digits entry and sends it as data to the next component, Exit('x') \
            follows case x; a bad reply, a timeout or an unknown case leaves through output e. One line per \
            step (request, reply, time, output chosen); exit 0 when the call reaches an end, 1 when it \
            fails. Example: simulate call --dialplan support.toml --src 09155441 --dst 789 --digits 2
            """
    )

    @Option(help: ArgumentHelp("The dialplan (TOML)", valueName: "file"), completion: .file(extensions: ["toml"]))
    var dialplan: String

    @Option(help: ArgumentHelp("The caller's number", valueName: "number"))
    var src = "09155441"

    @Option(help: ArgumentHelp("The dialled number", valueName: "number"))
    var dst = "789"

    @Option(help: ArgumentHelp("What the caller types at each GetData, comma-separated", valueName: "digits"))
    var digits: String?

    @Option(help: ArgumentHelp("How long each component waits for its reply (Simotel: 1s)", valueName: "duration"))
    var timeout = DurationArgument(seconds: ComponentKind.deadline)

    func run(in session: Session) async throws {
        let plan = try Dialplan.load(dialplan)
        let typed = digits.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        let output = session.output
        var walk = DialplanWalk(plan: plan, src: src, dst: dst, digits: typed)
        walk.deadline = timeout.seconds
        let end = await walk.run { output.line($0) }
        switch end {
        case .reached(let place): session.output.line("call reached \(place)")
        case .failed(let why): throw SimshError(.expectation, "the call failed: \(why)")
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
