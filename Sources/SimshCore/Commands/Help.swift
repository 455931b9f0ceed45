import ArgumentParser
import Foundation
import SimotelKit

struct Help: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "List commands, or show one command's help",
        discussion:
            "help COMMAND [SUBCOMMAND] prints the same text as COMMAND --help and the simsh-COMMAND(1) man page.")

    @Argument(help: ArgumentHelp("A command (and subcommand)", valueName: "command"))
    var command: [String] = []

    func run(in session: Session) async throws {
        guard !command.isEmpty else {
            session.output.line("simsh commands (help COMMAND or COMMAND --help for details):")
            let shown = CommandTable.builtins.filter { $0.configuration.shouldDisplay }
            for line in Output.keyValueLines(shown.map { ("  " + $0._commandName, $0.configuration.abstract) }) {
                session.output.line(line)
            }
            session.output.line(
                "API: " + EndpointCatalog.resources.joined(separator: ", ")
                    + " (help users, describe users add; call PATH for anything else).")
            session.output.line("Scripts: simsh FILE.simsh, simsh -c 'CMD; CMD'; the language is in man simsh-script.")
            return
        }
        guard let resolution = CommandTable.resolve(command), resolution.depth == command.count else {
            let hint = CommandTable.suggestion(for: command[0]).map { "; did you mean '\($0)'?" } ?? ""
            throw SimshError.usage("no help for '\(command.joined(separator: " "))'\(hint)")
        }
        session.output.line(CommandTable.help(resolution))
    }
}

extension Help: Exemplified {
    static let examples = [
        CommandExample(
            "Commands by name, then one command:",
            "simsh> help",
            "simsh> help listen events")
    ]
}
