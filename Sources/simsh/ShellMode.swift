import ArgumentParser
import Foundation
import SimshCore

/// `simsh [options] [FILE.simsh [ARG...]]`: the shell, a script file, `-c`, or stdin.
struct ShellMode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        // As a root of its own (the fast path in `Main.parse`), argument-parser then skips its
        // check for `--generate-completion-script` (two reflective parses, ~2 ms at start-up);
        // that option is the whole tree's and is parsed there.
        _superCommandName: "simsh",
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

extension ShellMode {
    /// `simsh -c COMMANDS`, the commonest start (every one-shot, every CI step), without
    /// argument-parser's reflection: building its argument set for this command and its two
    /// option groups costs ~3 ms at each start (the runtime scans the binary's 9,000 protocol
    /// conformances for each property-wrapper type it meets). The value is the one
    /// argument-parser gives: debug builds (which the tests run) compare the two, every field,
    /// on each start, and stop at once on a difference (a field added to the declaration and
    /// not here).
    static func quickParse(_ arguments: [String]) -> ShellMode? {
        let mode = quickParseUnchecked(arguments)
        #if DEBUG
            if let mode, let parsed = try? ShellMode.parseAsRoot(arguments),
                String(describing: mode) != String(describing: parsed)
            {
                fatalError("ShellMode.quickParse differs from argument-parser: \(mode) vs \(parsed)")
            }
        #endif
        return mode
    }

    private static func quickParseUnchecked(_ arguments: [String]) -> ShellMode? {
        guard arguments.count == 2, arguments[0] == "-c" else { return nil }
        var mode = ShellMode()
        mode.command = arguments[1]
        var connecting = ConnectionOptions()
        connecting.demo = false
        connecting.profile = nil
        mode.connecting = connecting
        mode.output = nil
        mode.noColor = false
        mode.scripting = ScriptOptions.defaults
        mode.version = false
        mode.script = []
        return mode
    }
}
