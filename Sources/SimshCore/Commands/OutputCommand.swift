import ArgumentParser

struct OutputCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Choose how results are printed: pretty or json",
        discussion:
            "json prints one JSON object per line for each command (like --output json). Without an argument, shows the mode."
    )

    @Argument(help: ArgumentHelp("pretty or json", valueName: "mode"))
    var mode: OutputMode?

    func run(in session: Session) async throws {
        guard let mode else {
            session.output.line(session.outputMode.rawValue)
            return
        }
        session.outputMode = mode
        session.tablesOnTerminal = false
    }
}
