import ArgumentParser
import SimshCore

/// The `simsh` command line: the shell (default), the standalone simulator, and every shell
/// command as a one-shot subcommand (`simsh ping`). Man pages are generated from this tree.
struct CLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simsh",
        abstract: "The command-line shell for the Simotel contact center",
        discussion: """
            simsh is an interactive, line-edited shell for Simotel's API v4 and its webhooks, and the \
            same interpreter for .simsh script files. Interactive when standard input and output are \
            terminals; otherwise it reads a script from standard input. \
            Exit status: 0 ok; 1 an expectation failed; 2 usage or script syntax error; \
            3 transport or local I/O error; 4 API error (HTTP non-2xx or success 0). \
            Files: $SIMSH_CONFIG (else $XDG_CONFIG_HOME/simsh/config.toml, else ~/.config/simsh/config.toml), \
            $SIMSH_HISTFILE (else $XDG_STATE_HOME/simsh/history, else ~/.local/state/simsh/history). \
            SIMSH_URL, SIMSH_USER, SIMSH_PASSWORD and SIMSH_API_KEY override a profile's fields. \
            The shell's own options (--demo, -p, -c, --output, FILE) are listed by simsh shell --help.
            """,
        subcommands: [ShellMode.self, SimulatorCommand.self, TestCommand.self] + CommandTable.builtins,
        defaultSubcommand: ShellMode.self)
}

enum SimshVersion {
    static let text = "0.1.0"
}
