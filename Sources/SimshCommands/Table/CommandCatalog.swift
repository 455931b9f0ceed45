import ArgumentParser
import SimotelKit

/// What the declarations say about each command (names, options, value names, allowed
/// values), read once from argument-parser's own help dump, so completion follows the
/// same declarations as help and the man pages.
public struct CommandCatalog: Sendable {
    public struct Argument: Sendable {
        public var isPositional: Bool
        public var isFlag: Bool
        public var names: [String]
        public var valueName: String?
        public var values: [String]
        public var completesFiles: Bool
    }

    public struct Command: Sendable {
        public var name: String
        public var abstract: String
        public var subcommands: [Command]
        public var arguments: [Argument]

        public func subcommand(_ name: String) -> Command? { subcommands.first { $0.name == name } }
        public var options: [Argument] { arguments.filter { !$0.isPositional } }
        public var positionals: [Argument] { arguments.filter(\.isPositional) }
    }

    public var root: Command

    /// The declaration a resolved built-in's words name (`["profile", "save"]`).
    public func command(at words: [String]) -> Command? {
        var node = root
        for word in words {
            guard let sub = node.subcommand(word) else { return nil }
            node = sub
        }
        return node
    }

    public static let shared = CommandCatalog()

    init() {
        root = Self.command(from: Self.dump(ShellRoot.self))
    }

    /// argument-parser's own description of a declaration (`--experimental-dump-help`).
    static func dump(_ type: any ParsableCommand.Type) -> JSONValue {
        var text = ""
        do {
            _ = try type.parseAsRoot(["--experimental-dump-help"])
        } catch {
            text = type.fullMessage(for: error)
        }
        return (try? JSONValue.parse(text))?["command"] ?? .null
    }

    /// The arguments a group of options declares (`APIOptions`), as completion reads them.
    static func arguments<Options: ParsableArguments>(of options: Options.Type) -> [Argument] {
        command(from: dump(OptionsDeclaration<Options>.self)).arguments.filter { !$0.isPositional }
    }

    static func command(from json: JSONValue) -> Command {
        var subcommands: [Command] = []
        if case .array(let subs)? = json["subcommands"] {
            subcommands = subs.filter { $0["shouldDisplay"] != .bool(false) }
                .filter { $0["commandName"]?.stringValue != "help" || $0["abstract"] != nil }
                .map(command(from:))
        }
        var arguments: [Argument] = []
        if case .array(let args)? = json["arguments"] {
            for a in args {
                var names: [String] = []
                if case .array(let ns)? = a["names"] {
                    for n in ns {
                        guard let name = n["name"]?.stringValue else { continue }
                        names.append(n["kind"]?.stringValue == "long" ? "--" + name : "-" + name)
                    }
                }
                var values: [String] = []
                var files = false
                if let kind = a["completionKind"] {
                    if case .array(let vs)? = kind["list"]?["values"] { values = vs.compactMap(\.stringValue) }
                    if kind["file"] != nil { files = true }
                }
                if values.isEmpty, case .array(let vs)? = a["allValues"] { values = vs.compactMap(\.stringValue) }
                arguments.append(
                    Argument(
                        isPositional: a["kind"]?.stringValue == "positional",
                        isFlag: a["kind"]?.stringValue == "flag",
                        names: names, valueName: a["valueName"]?.stringValue, values: values, completesFiles: files))
            }
        }
        return Command(
            name: json["commandName"]?.stringValue ?? "", abstract: json["abstract"]?.stringValue ?? "",
            subcommands: subcommands, arguments: arguments)
    }
}

/// A command around a group of options, so that argument-parser can describe the group.
private struct OptionsDeclaration<Options: ParsableArguments>: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "options") }
    @OptionGroup var options: Options
}
