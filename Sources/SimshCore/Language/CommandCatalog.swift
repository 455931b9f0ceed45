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

    public static let shared = CommandCatalog()

    init() {
        var text = ""
        do {
            _ = try ShellRoot.parseAsRoot(["--experimental-dump-help"])
        } catch {
            text = ShellRoot.fullMessage(for: error)
        }
        let json = (try? JSONValue.parse(text))?["command"] ?? .null
        root = Self.command(from: json)
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
