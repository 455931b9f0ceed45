import ArgumentParser
import CHardening
import Foundation
import SimotelKit
import SimshCommands
import SimshLanguage
import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The entry point: parses the command line, picks REPL / script / `-c` / stdin / simulator /
/// one-shot command, and maps every outcome onto the contract's exit statuses.
@main
enum Main {
    static func main() async {
        // A core dump would hold every secret the process knows (passwords, API keys, --secret
        // values): none unless SIMSH_CORE_DUMPS=1 asks for them (to debug a crash).
        if ProcessInfo.processInfo.environment["SIMSH_CORE_DUMPS"] != "1" { _ = simsh_forbid_core_dumps() }
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `simsh shell --help`: the shell's words take everything after them, `--help` included.
        if arguments.count == 2, arguments[0] == "shell", ["--help", "-h"].contains(arguments[1]) {
            StdioSink.writeAll(
                STDOUT_FILENO, CLI.helpMessage(for: ShellMode.self).trimmingCharacters(in: .newlines) + "\n")
            exit(0)
        }
        let status: Int32
        do {
            // simsh's own --output and --quiet may also follow a one-shot command's words.
            let oneShot = isOneShot(arguments)
            let (words, quiet) = oneShot ? TrailingQuiet.split(arguments) : (arguments, false)
            let parsedCLI = try parse(oneShot ? try OutputOverride.split(words).words : words)
            switch parsedCLI {
            case let mode as ShellMode:
                status = await ShellRunner(options: mode).run()
            case let simulator as SimulatorCommand:
                status = await SimulatorRunner(options: simulator).run()
            case let test as TestCommand:
                status = await TestRunner(options: test).run()
            case is ShellCommand:
                // Parsed here for the command line's help and errors; run as any command's words.
                status = await ShellRunner.oneShot(words, quiet: quiet)
            default:
                // argument-parser answers `--help` and `help CMD` with its own help command.
                StdioSink.writeAll(STDOUT_FILENO, helpText(arguments) + "\n")
                status = 0
            }
        } catch {
            status = reportCommandLineError(error, arguments: arguments)
        }
        exit(status)
    }

    /// True when the first word names a built-in run as a one-shot command (`simsh ping`).
    static func isOneShot(_ arguments: [String]) -> Bool {
        guard let first = arguments.first, !["shell", "simulator", "test", "help"].contains(first) else { return false }
        return CommandTable.resolve(arguments)?.isBuiltin == true
    }

    /// Parses the command line. The shell's own options (`-c`, `--demo`, a file, ...) are the
    /// common case and are parsed against `ShellMode` alone: building argument-parser's tree of
    /// every subcommand costs milliseconds at each start. Anything else (a subcommand, `--help`,
    /// an error to explain) goes through the whole tree.
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        let first = arguments.first ?? ""
        let names = Swift.Set(CLI.configuration.subcommands.map { $0.declaredName } + ["help"])
        if !names.contains(first) && first != "-h" && first != "--help"
            && !arguments.contains("--experimental-dump-help")
        {
            if let parsed = try? ShellMode.parseAsRoot(arguments) { return parsed }
        }
        return try CLI.parseAsRoot(arguments)
    }

    /// The command whose help `simsh [help] CMD SUB --help` asks for, and the words that named it.
    static func helpTarget(_ arguments: [String]) -> (command: ParsableCommand.Type, path: String) {
        let words = arguments.first == "help" ? Array(arguments.dropFirst()) : arguments
        let (command, depth) = CommandTable.walk(CLI.self, words)
        return (command, words.filter { !$0.hasPrefix("-") }.prefix(depth).joined(separator: " "))
    }

    /// A command's help as the shell prints it (`help CMD`: with its examples), else argument-parser's.
    static func helpText(_ arguments: [String]) -> String {
        let target = helpTarget(arguments)
        let words = target.path.split(separator: " ").map(String.init)
        if !words.isEmpty, let resolution = CommandTable.resolve(words), resolution.depth == words.count,
            resolution.isBuiltin
        {
            return CommandTable.help(resolution)
        }
        return CLI.helpMessage(for: target.command).trimmingCharacters(in: .newlines)
    }

    /// `--help`/`--version` print and exit 0; anything else is a usage error (exit 2).
    static func reportCommandLineError(_ error: Error, arguments: [String]) -> Int32 {
        let target = helpTarget(arguments)
        let bare = target.command == CLI.self || target.command == ShellMode.self
        guard
            var failure = CommandTable.parseFailure(error, of: CLI.self, path: bare ? "simsh" : "simsh " + target.path)
        else {
            let isHelp = arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help"
            var text = isHelp ? helpText(arguments) : CLI.fullMessage(for: error).trimmingCharacters(in: .newlines)
            if let i = arguments.firstIndex(of: "--generate-completion-script"), i + 1 < arguments.count {
                text = CompletionScripts.complete(text + "\n", shell: arguments[i + 1]).trimmingCharacters(
                    in: .newlines)
            }
            StdioSink.writeAll(STDOUT_FILENO, text + "\n")
            return 0
        }
        let renderer = DiagnosticRenderer(color: Terminal.useColor(environment: ProcessInfo.processInfo.environment))
        if bare { failure.message += "\nusage: simsh [--demo | -p PROFILE] [-c COMMANDS | FILE.simsh [ARG...]]" }
        StdioSink.writeAll(STDERR_FILENO, renderer.render(failure) + "\n")
        return 2
    }
}
