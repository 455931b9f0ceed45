import ArgumentParser
import SimshCommands
import SimshRuntime

/// The `simsh` command line: the shell (default), the standalone simulator, and every shell
/// command as a one-shot subcommand (`simsh ping`). Man pages are generated from this tree.
struct CLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simsh",
        abstract: "The command-line shell for the Simotel contact center",
        usage: """
            simsh [--demo | -p PROFILE] [-v] [--output MODE] [--var NAME=VALUE]... [-c COMMANDS | FILE.simsh [ARG]... | -]
            simsh simulator [--port PORT] [--events-to URL] [--seed NAME]
            simsh test [PATH]... [--demo | -p PROFILE] [--jobs N] [--report-junit FILE]
            simsh COMMAND [ARG]...
            """,
        discussion: """
            simsh is a line-edited shell for Simotel's API v4 and its webhooks, and the same \
            interpreter for .simsh script files. Started on a terminal without FILE or -c, it is \
            interactive (history, Ctrl-R, tab completion; help lists the commands). With FILE it \
            runs the script (ARGs are $1, $2, ...); with -c the commands given; with - or a \
            non-terminal standard input it reads a script from there. --demo starts an embedded \
            Simotel simulator, connects to it and listens for its webhooks: every command works \
            without a PBX. simsh simulator runs that simulator alone; simsh test runs check files \
            as test cases with reports for CI; simsh COMMAND runs one shell command (simsh ping -p \
            office). The shell's options are listed under OPTIONS (simsh shell --help).

            Environment:
              SIMSH_CONFIG      The config file (profiles) instead of the default
              SIMSH_HISTFILE    The history file instead of the default
              SIMSH_URL         Overrides the URL of the profile used
              SIMSH_USER        Overrides the profile's user
              SIMSH_PASSWORD    Overrides the profile's password
              SIMSH_API_KEY     Overrides the profile's API key
              SIMSH_VAR_NAME    Sets the script variable NAME (as --var NAME=VALUE)
              SIMSH_STORE       The event store: a file, postgresql://USER@HOST:PORT/DB or off (as --store)
              PGPASSWORD        The PostgreSQL store's password (never in its URL)
              SIMSH_CORE_DUMPS  1: allow core dumps (off by default: they would hold every secret)
              SSL_CERT_FILE     CA certificates (PEM) trusted for https:// servers without --cacert
              NO_COLOR          Never colour (--color always still does)
              PAGER             Pager for long help, tables (unset: less -FRX; empty: none)
              XDG_CONFIG_HOME   Config file: $XDG_CONFIG_HOME/simsh/config.toml
              XDG_STATE_HOME    History and event store: $XDG_STATE_HOME/simsh/history, …/events.db
            Files:
              ~/.config/simsh/config.toml   Saved profiles (TOML, mode 0600)
              ~/.local/state/simsh/history  The shell's history, secrets as ****
              ~/.local/state/simsh/events.db  The event store (SQLite, mode 0600): 30 days, at most 1 GiB
              FILE.jsonl                    An event log (listen events --log FILE)
            Exit status:
              0    Success
              1    An expectation failed (expect, wait; simsh test: a case failed)
              2    Usage or syntax error
              3    Transport or local I/O error
              4    API error: HTTP status other than 2xx, or success 0
              130  Interrupted by Ctrl-C (SIGINT)
            simsh's --output MODE and --quiet may also follow a one-shot command's words \
            (simsh --demo users search --output json).
            """
                + Examples.text(
                    CommandExample("Try simsh on the built-in simulator:", "$ simsh --demo", "simsh demo> ping"),
                    CommandExample(
                        "Save a PBX as a profile, then run a check file against it:",
                        "$ simsh connect https://pbx.lan --user admin --password-stdin --save office",
                        "$ simsh -p office checks/trunks.simsh"),
                    CommandExample(
                        "Run every check of a directory in CI, with a JUnit report:",
                        "$ simsh test checks/ --demo --report-junit report.xml"),
                    CommandExample(
                        "Receive a PBX's webhooks, logged to a file:",
                        "$ simsh -c 'listen events --port 8089 --log events.jsonl; sleep 1h'")),
        subcommands: [ShellMode.self, SimulatorCommand.self, TestCommand.self] + CommandTable.builtins,
        defaultSubcommand: ShellMode.self)
}

enum SimshVersion {
    static let text = "0.1.0"
}
