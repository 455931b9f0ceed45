import ArgumentParser
import Foundation
import SimshRuntime

struct History: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List, search or clear the command history",
        discussion: """
            Lines typed in the interactive shell are saved at once to the history file \
            ($SIMSH_HISTFILE, else $XDG_STATE_HOME/simsh/history, else ~/.local/state/simsh/history). \
            Passwords and API keys are saved as ****; a line that starts with a space is not saved. \
            Ctrl-R searches the history while typing.
            """
    )

    @Argument(help: ArgumentHelp("Show only the last N entries", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Show only entries containing this text", valueName: "text"))
    var grep: String?

    @Flag(name: [.customShort("c"), .customLong("clear")], help: "Delete the whole history")
    var clear = false

    func validate() throws {
        if let count, count < 0 { throw ValidationError("N must not be negative") }
    }

    func run(in session: Session) async throws {
        if clear {
            try session.history.clear()
            session.onHistoryCleared?()
            session.output.line("history cleared")
            return
        }
        var numbered = Array(try session.history.entries().enumerated().map { ($0.offset + 1, $0.element) })
        if let grep {
            numbered = numbered.filter { $0.1.range(of: grep, options: .caseInsensitive) != nil }
        }
        if let count { numbered = Array(numbered.suffix(count)) }
        for (n, text) in numbered {
            session.output.line(String(repeating: " ", count: max(0, 5 - String(n).count)) + "\(n)  \(text)")
        }
    }
}

extension History: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "The last commands, and a search:",
            "simsh> history 20",
            "simsh> history --grep ping")
    ]
}
