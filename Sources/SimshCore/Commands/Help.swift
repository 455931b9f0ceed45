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
            let width = CommandRegistry.names.map(\.count).max() ?? 0
            for c in CommandRegistry.commands where c.configuration.shouldDisplay {
                let name = c._commandName
                session.output.line(
                    "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + c.configuration.abstract)
            }
            session.output.line(
                "API: " + EndpointCatalog.resources.joined(separator: ", ")
                    + " (help users, describe users add; call PATH for anything else).")
            session.output.line("Scripts: simsh FILE.simsh, simsh -c 'CMD; CMD'; the language is in man simsh-script.")
            return
        }
        if CommandRegistry.command(named: command[0]) == nil, EndpointCatalog.resources.contains(command[0]) {
            if let (spec, used) = APICommand.match(command), used == command.count {
                session.output.line(APICommand.help(spec))
                return
            }
            for e in EndpointCatalog.all where Array(e.words.prefix(command.count)) == command {
                session.output.line(e.command.padding(toLength: 34, withPad: " ", startingAt: 0) + e.summary)
            }
            return
        }
        guard let (type, depth) = CommandRegistry.resolve(command), depth == command.count else {
            let hint = CommandRegistry.suggestion(for: command[0]).map { "; did you mean '\($0)'?" } ?? ""
            throw SimshError.usage("no help for '\(command.joined(separator: " "))'\(hint)")
        }
        session.output.line(ShellRoot.helpMessage(for: type).trimmingCharacters(in: .newlines))
    }
}
