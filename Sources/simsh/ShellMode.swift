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

    @Option(help: ArgumentHelp("Print results as pretty text or json lines", valueName: "mode"))
    var output: OutputMode?

    @Flag(name: .customLong("no-color"), help: "Never colour diagnostics (also: NO_COLOR)")
    var noColor = false

    @OptionGroup var scripting: ScriptOptions

    @Flag(help: "Show the version and exit")
    var version = false

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
