import ArgumentParser
import Foundation
import SimshCommands
import SimshRuntime

/// `simsh [options] [FILE.simsh [ARG...]]`: the shell, a script file, `-c`, or stdin.
struct ShellMode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Start the shell, or run a script (the default)",
        discussion: """
            With FILE, runs the script (ARGs are $1, $2, ...; $0 is FILE). With -c, runs the commands \
            given. Without either, runs interactively on a terminal and reads a script from standard \
            input otherwise.
            """)

    @Option(name: .customShort("c"), help: ArgumentHelp("Run these commands and exit", valueName: "commands"))
    var command: String?

    @OptionGroup var connecting: ConnectionOptions

    @OptionGroup var storing: StoreOptions

    @Option(help: ArgumentHelp("Print results as pretty text or json lines", valueName: "mode"))
    var output: OutputMode?

    @Flag(name: .customLong("no-color"), help: "Never colour (as --color never; also: NO_COLOR)")
    var noColor = false

    @Option(
        help: ArgumentHelp(
            "Colour tables' headers, JSON, event names, check results and diagnostics: auto (on a terminal, "
                + "unless NO_COLOR is set), always, never",
            valueName: "when"))
    var color: ColorMode = .auto

    /// `--color`, with `--no-color` as `never`.
    var colorMode: ColorMode { noColor ? .never : color }

    @OptionGroup var scripting: ScriptOptions

    @Flag(help: "Show the version and exit")
    var version = false

    /// Not an option to give: bash, zsh and fish ask it for a one-shot command's words (`CommandLineCompletion`).
    @Option(
        name: .customLong("command-words"), help: .hidden,
        completion: .custom { words, index, prefix in
            CommandLineCompletion.complete(words, index: index, prefix: prefix)
        })
    var commandWords: String?

    @Argument(
        parsing: .captureForPassthrough, help: ArgumentHelp("A .simsh script and its arguments", valueName: "file"),
        completion: .file(extensions: ["simsh"]))
    var script: [String] = []

    func validate() throws {
        if let first = script.first, first.hasPrefix("-"), first != "-" {
            throw ValidationError("unknown option '\(first)'")
        }
        if command != nil && !script.isEmpty { throw ValidationError("give either -c or a script file, not both") }
    }
}
