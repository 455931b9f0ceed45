import ArgumentParser
import SimshRuntime

struct OutputCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Choose how results are printed: auto, table, pretty or json",
        discussion: """
            auto (the default) prints search results as tables on a terminal and as indented JSON elsewhere; \
            table prints tables wherever the output goes; pretty prints indented JSON; json prints exactly one \
            JSON value per line for every command that prints (like --output json). Without an argument, shows the mode.
            """
    )

    @Argument(help: ArgumentHelp("auto, table, pretty or json", valueName: "mode"))
    var mode: OutputMode?

    func run(in session: Session) async throws {
        guard let mode else {
            session.output.line(session.outputMode.rawValue)
            return
        }
        session.outputMode = mode
    }
}

extension OutputCommand: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Answers as tables, or as JSON lines for jq:",
            "simsh demo> output table",
            "simsh demo> output json")
    ]
}
