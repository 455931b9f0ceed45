import ArgumentParser
import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime

struct Help: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "List commands, or show one command's help",
        discussion: """
            help lists the commands by group. help COMMAND [SUBCOMMAND] prints the same text as \
            COMMAND --help and the simsh-COMMAND(1) man page. help script, help events and help api \
            show the pages simsh-script(5), simsh-events(7) and simsh-api(7). Help is wrapped at \
            word boundaries to the terminal's width (80 columns when there is no terminal, or \
            COLUMNS); on a terminal, a page longer than the screen goes through $PAGER (less -FRX \
            when PAGER is not set; PAGER= or PAGER=cat for none), never in scripts or into a pipe.
            """
    )

    @Argument(help: ArgumentHelp("A command (and subcommand)", valueName: ValueKind.command))
    var command: [String] = []

    /// A topic's page as mdoc, for scripts/man (simsh-api(7)).
    @Flag(help: .hidden) var mdoc = false

    func run(in session: Session) async throws {
        guard !command.isEmpty else {
            HelpText.show(Self.list(), in: session)
            return
        }
        // `help script`, `help events`, `help api`: the topic's page (`help events show` is the command's).
        if command.count == 1, let topic = HelpTopic.named(command[0]) {
            if mdoc {
                session.output.line(topic.mdoc().trimmingCharacters(in: .newlines))
                return
            }
            var text = topic.rendered(width: HelpText.width(in: session) - 2).trimmingCharacters(in: .newlines)
            if CommandTable.resolve(command) != nil {
                text += "\n(the \(command[0]) command: \(command[0]) --help)"
            }
            HelpText.show(text, in: session)
            return
        }
        guard let resolution = CommandTable.resolve(command), resolution.depth == command.count else {
            let names = CommandTable.names + HelpTopic.all.map(\.name)
            let hint = EditDistance.nearest(command[0], among: names).map { "; did you mean '\($0)'?" } ?? ""
            throw SimshError.usage("no help for '\(command.joined(separator: " "))'\(hint)")
        }
        HelpText.show(CommandTable.help(resolution), in: session)
    }

    /// The commands by group, one line each, then the topics (before wrapping).
    static func list() -> String {
        var lines = ["simsh commands (help COMMAND or COMMAND --help for details):"]
        let shown = CommandTable.builtins.filter { $0.configuration.shouldDisplay }
        let rows = shown.map { ("  " + $0.declaredName, $0.configuration.abstract) }
        let width = rows.map(\.0.count).max() ?? 0
        for group in HelpGroup.allCases {
            lines += ["", group.title + ":"]
            for (type, row) in zip(shown, rows) where (type as? Exemplified.Type)?.group == group {
                lines.append(row.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + row.1)
            }
            if group == .api {
                lines.append(
                    "  "
                        + EndpointCatalog.resources.filter { CommandTable.resolve([$0]).map(\.isBuiltin) != true }
                        .joined(separator: ", "))
            }
        }
        // Two lines, broken between topics: no `help TOPIC (page)` is split at 80 columns.
        let topics = HelpTopic.all.map { "help \($0.name) (\($0.page))" }
        lines += ["", "Topics: " + topics.dropLast().joined(separator: ", ") + " and", (topics.last ?? "") + "."]
        return lines.joined(separator: "\n")
    }
}

extension Help: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Commands by group, then one command, then a topic:",
            "simsh> help",
            "simsh> help listen events",
            "simsh> help script")
    ]
}
