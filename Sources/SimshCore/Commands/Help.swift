import ArgumentParser
import Foundation

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
            let width = CommandRegistry.names.map(\.count).max() ?? 0
            for c in CommandRegistry.commands where c.configuration.shouldDisplay {
                let name = c._commandName
                session.output.line(
                    "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + c.configuration.abstract)
            }
            session.output.line("Scripts: simsh FILE.simsh, simsh -c 'CMD; CMD'; the language is in man simsh-script.")
            return
        }
        guard let (type, depth) = CommandRegistry.resolve(command), depth == command.count else {
            let hint = CommandRegistry.suggestion(for: command[0]).map { "; did you mean '\($0)'?" } ?? ""
            throw SimshError.usage("no help for '\(command.joined(separator: " "))'\(hint)")
        }
        session.output.line(ShellRoot.helpMessage(for: type).trimmingCharacters(in: .newlines))
    }
}
