import Foundation

/// The `commands` of a Smart API reply (webhooks.md §6.5): function calls separated by `;`
/// (spaces and a trailing `;` allowed), strings in straight single quotes, integers bare, `Exit`
/// last. Parsing is tolerant: it reads what it can and lists every mistake with its column, so a
/// lint can say all of them at once.
public struct SmartScript: Equatable, Sendable {
    public enum Argument: Equatable, Sendable {
        case string(String)
        /// A whole number as it was written: `SayDigit(007)` says three digits, so `007` stays `007`.
        case integer(String)
    }

    public struct Command: Equatable, Sendable {
        public var name: String
        public var arguments: [Argument]
        /// 1-based column of the function's name.
        public var column: Int
        /// Its arguments could not be read whole (a mistake was said there): not checked further.
        public var malformed = false
        /// It followed the previous command without a `;` (said once, there).
        public var afterMissingSemicolon = false

        public init(_ name: String, _ arguments: [Argument], column: Int = 0) {
            self.name = name
            self.arguments = arguments
            self.column = column
        }

        /// The same command, wherever it was written.
        public static func == (a: Command, b: Command) -> Bool { a.name == b.name && a.arguments == b.arguments }

        /// `GetData('b', 10, 1)`: as Simotel's documentation writes it.
        public var text: String {
            let args = arguments.map { a -> String in
                switch a {
                case .string(let s): return "'" + s + "'"
                case .integer(let digits): return digits
                }
            }
            return "\(name)(\(args.joined(separator: ", ")))"
        }
    }

    /// A mistake (or a warning): what, and the 1-based column where it is.
    public struct Mistake: Equatable, Sendable, CustomStringConvertible {
        public var column: Int
        public var message: String
        public var description: String { "column \(column): \(message)" }
    }

    public var commands: [Command]

    public init(_ commands: [Command]) { self.commands = commands }

    /// The script as the documentation writes it: `A('x'); B(1); Exit('go')`.
    public var text: String { commands.map(\.text).joined(separator: "; ") }

    /// The argument types of the 13 functions of §6.5.
    public enum Kind: String, Sendable {
        case string, integer
    }

    public static let functions: [String: [Kind]] = [
        "PlayAnnouncement": [.string], "Playback": [.string], "SayNumber": [.integer], "SayDigit": [.integer],
        "SayDuration": [.string], "SayClock": [.string], "SayDate": [.string, .string],
        "GetData": [.string, .integer, .integer], "MusicOnHold": [.string, .integer], "SetExten": [.string],
        "SetLimitOnCall": [.integer], "ClearUserData": [], "Exit": [.string],
    ]

    /// What a check found: the script read, its mistakes and what is only doubtful (warnings:
    /// an empty command, which the PHP SDK writes and the docs say nothing of).
    public struct Lint: Sendable {
        public var script: SmartScript
        public var mistakes: [Mistake]
        public var warnings: [Mistake]
    }

    /// Parses a script and checks it (`lint`): its mistakes; warnings are not mistakes.
    public static func check(_ text: String, cases: [String]? = nil) -> (script: SmartScript, mistakes: [Mistake]) {
        let result = Self.lint(text, cases: cases)
        return (result.script, result.mistakes)
    }

    /// Parses a script and checks it: function names, argument counts and types, quotes, values no
    /// clock or calendar has, `Exit` last, and, when `cases` is given, that `Exit` names one of them.
    public static func lint(_ text: String, cases: [String]? = nil) -> Lint {
        var parser = SmartParser(text)
        let commands = parser.commands()
        var mistakes = parser.mistakes
        for (i, command) in commands.enumerated() {
            guard let kinds = functions[command.name] else {
                mistakes.append(unknownFunction(command))
                continue
            }
            if command.malformed {
                // Already said where it went wrong; a count or type from half-read arguments would mislead.
            } else if command.arguments.count != kinds.count {
                mistakes.append(argumentCountMistake(command, kinds))
            } else {
                appendTypeMistakes(command, kinds, to: &mistakes)
                mistakes += valueMistakes(command)
            }
            if command.name == "Exit" {
                appendExitMistakes(commands, at: i, cases: cases, to: &mistakes)
            }
        }
        if commands.isEmpty && mistakes.isEmpty {
            mistakes.append(Mistake(column: 1, message: "no commands"))
        }
        return Lint(
            script: SmartScript(commands), mistakes: mistakes.sorted { $0.column < $1.column },
            warnings: parser.warnings)
    }

    /// A function that is not one of §6.5's, with the one it may be a misspelling of.
    static func unknownFunction(_ command: Command) -> Mistake {
        let near =
            functions.keys.sorted().first { $0.lowercased() == command.name.lowercased() }
            ?? functions.keys.sorted().first {
                $0.lowercased().hasPrefix(command.name.lowercased().prefix(4)) && command.name.count >= 4
            }
        return Mistake(
            column: command.column,
            message: "unknown function \(command.name)" + (near.map { "; did you mean \($0)?" } ?? ""))
    }

    /// A call with the wrong number of arguments, and the ones its function takes.
    static func argumentCountMistake(_ command: Command, _ kinds: [Kind]) -> Mistake {
        let wanted = kinds.isEmpty ? "no arguments" : kinds.map(\.rawValue).joined(separator: ", ")
        return Mistake(
            column: command.column,
            message:
                "\(command.name) takes \(kinds.count) argument\(kinds.count == 1 ? "" : "s") (\(wanted)), "
                + "not \(command.arguments.count)")
    }

    /// Notes each argument of the wrong type: a number where text goes, text where a number goes.
    static func appendTypeMistakes(_ command: Command, _ kinds: [Kind], to mistakes: inout [Mistake]) {
        for (n, (argument, kind)) in zip(command.arguments, kinds).enumerated() {
            switch (argument, kind) {
            case (.integer(let v), .string):
                mistakes.append(
                    Mistake(
                        column: command.column,
                        message: "argument \(n + 1) of \(command.name) is text: write it in quotes, '\(v)'"))
            case (.string(let s), .integer):
                mistakes.append(
                    Mistake(
                        column: command.column,
                        message: "argument \(n + 1) of \(command.name) is a whole number: write it bare, not '\(s)'"
                    ))
            default: break
            }
        }
    }

    /// Notes what is wrong with the `Exit` at `i`: no case, commands after it, a case not among `cases`.
    static func appendExitMistakes(_ commands: [Command], at i: Int, cases: [String]?, to mistakes: inout [Mistake]) {
        let command = commands[i]
        if case .string("")? = command.arguments.first {
            mistakes.append(Mistake(column: command.column, message: "Exit('') names no case"))
        }
        if i != commands.count - 1, !commands[i + 1].afterMissingSemicolon {
            mistakes.append(
                Mistake(column: commands[i + 1].column, message: "Exit must be last: nothing after it runs"))
        }
        if let cases, case .string(let c)? = command.arguments.first, !cases.contains(c) {
            mistakes.append(
                Mistake(
                    column: command.column,
                    message: "Exit('\(c)'): no such case (cases: \(cases.joined(separator: ", ")))"))
        }
    }
}
