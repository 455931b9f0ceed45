import SimshRuntime

/// A command's examples, written beside its declaration and appended to its discussion, so that
/// `help CMD`, `CMD --help` and its man page (an EXAMPLES section, made by scripts/man) show the
/// same: what it is for, then what is typed (after its prompt) and what simsh prints.
public struct CommandExample: Sendable {
    public var what: String
    public var lines: [String]

    public init(_ what: String, _ lines: String...) {
        self.what = what
        self.lines = lines
    }
}

/// A built-in's place in `help` and its examples (every built-in has both: a test checks it).
protocol Exemplified {
    static var group: HelpGroup { get }
    static var examples: [CommandExample] { get }
}

/// The groups `help` lists the commands in.
enum HelpGroup: CaseIterable {
    case session, api, events, scripting

    var title: String {
        switch self {
        case .session: return "Session"
        case .api: return "API (help RESOURCE, describe SERVICE)"
        case .events: return "Events and components"
        case .scripting: return "Scripting (man simsh-script)"
        }
    }
}

public enum Examples {
    /// The line that starts the examples in a discussion (scripts/man-tidy.py looks for it).
    public static let heading = "Examples:"

    /// `\n\nExamples:\n  What it is for:\n    simsh> command\n    output`.
    public static func text(_ examples: CommandExample...) -> String { text(examples) }

    public static func text(_ examples: [CommandExample]) -> String {
        "\n\n" + heading + "\n"
            + examples.map { e in "  \(e.what)\n" + e.lines.map { "    " + $0 }.joined(separator: "\n") }
            .joined(separator: "\n")
    }
}
