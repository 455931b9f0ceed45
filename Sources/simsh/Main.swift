import ArgumentParser
import Foundation
import SimotelKit
import SimshCore

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The entry point: parses the command line, picks REPL / script / `-c` / stdin / simulator /
/// one-shot command, and maps every outcome onto the contract's exit statuses.
@main
enum Main {
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        SimotelClient.prepare()
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `simsh shell --help`: the shell's words take everything after them, `--help` included.
        if arguments.count == 2, arguments[0] == "shell", ["--help", "-h"].contains(arguments[1]) {
            StdioSink.writeAll(
                STDOUT_FILENO, CLI.helpMessage(for: ShellMode.self).trimmingCharacters(in: .newlines) + "\n")
            exit(0)
        }
        let status: Int32
        do {
            let parsedCLI = try parse(arguments)
            switch parsedCLI {
            case let mode as ShellMode:
                status = await ShellRunner(options: mode).run()
            case let simulator as SimulatorCommand:
                status = await SimulatorRunner(options: simulator).run()
            case let command as ShellCommand:
                status = await ShellRunner.oneShot(command)
            default:
                // argument-parser answers `--help` and `help CMD` with its own help command.
                StdioSink.writeAll(
                    STDOUT_FILENO, CLI.helpMessage(for: helpTarget(arguments)).trimmingCharacters(in: .newlines) + "\n")
                status = 0
            }
        } catch {
            status = reportCommandLineError(error, arguments: arguments)
        }
        exit(status)
    }

    /// Parses the command line. The shell's own options (`-c`, `--demo`, a file, ...) are the
    /// common case and are parsed against `ShellMode` alone: building argument-parser's tree of
    /// every subcommand costs milliseconds at each start. Anything else (a subcommand, `--help`,
    /// an error to explain) goes through the whole tree.
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        let first = arguments.first ?? ""
        let names = Swift.Set(CLI.configuration.subcommands.map { $0._commandName } + ["help"])
        if !names.contains(first) && first != "-h" && first != "--help"
            && !arguments.contains("--experimental-dump-help")
        {
            if let parsed = try? ShellMode.parseAsRoot(arguments) { return parsed }
        }
        return try CLI.parseAsRoot(arguments)
    }

    /// `profile save` for `simsh profile save x --bogus`.
    static func commandPath(_ arguments: [String]) -> String {
        var current: ParsableCommand.Type = CLI.self
        var names: [String] = []
        for word in arguments where !word.hasPrefix("-") {
            guard let sub = current.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            current = sub
            names.append(word)
        }
        return names.joined(separator: " ")
    }

    /// The command whose help `simsh [help] CMD SUB --help` asks for.
    static func helpTarget(_ arguments: [String]) -> ParsableCommand.Type {
        var current: ParsableCommand.Type = CLI.self
        for word in arguments where !word.hasPrefix("-") && word != "help" {
            guard let sub = current.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            current = sub
        }
        return current
    }

    /// `--help`/`--version` print and exit 0; anything else is a usage error (exit 2).
    static func reportCommandLineError(_ error: Error, arguments: [String]) -> Int32 {
        let code = CLI.exitCode(for: error)
        if code == .success {
            StdioSink.writeAll(STDOUT_FILENO, CLI.fullMessage(for: error).trimmingCharacters(in: .newlines) + "\n")
            return 0
        }
        let renderer = DiagnosticRenderer(color: Terminal.useColor(environment: ProcessInfo.processInfo.environment))
        var message = CLI.message(for: error)
        if let first = message.first { message = first.lowercased() + message.dropFirst() }
        let target = helpTarget(arguments)
        let hint =
            target == CLI.self || target == ShellMode.self
            ? "usage: simsh [--demo | -p PROFILE] [-c COMMANDS | FILE.simsh [ARG...]]  (simsh --help)"
            : "see 'simsh \(commandPath(arguments)) --help'"
        StdioSink.writeAll(STDERR_FILENO, renderer.render(SimshError.usage(message)) + "\n" + hint + "\n")
        return 2
    }
}
