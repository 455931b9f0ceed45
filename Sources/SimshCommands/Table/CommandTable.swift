import ArgumentParser
import SimotelKit
import SimshLanguage
import SimshRuntime

/// The one table of commands. Built-ins are argument-parser declarations, one file each, listed
/// once in `builtins`; API services are the rows of `EndpointCatalog`. Words resolve to either
/// kind here, the same way for the interpreter, `help`, completion, the command line and the
/// man pages: adding a service is one catalog row, adding a built-in one file and one line below.
public enum CommandTable {
    /// Every built-in command, sorted by name (a test keeps it sorted).
    public static let builtins: [any ParsableCommand.Type] = [
        Announce.self,
        Answer.self,
        Answers.self,
        Call.self,
        Calls.self,
        Component.self,
        Connect.self,
        Describe.self,
        Disconnect.self,
        Echo.self,
        Events.self,
        Exit.self,
        Expect.self,
        Help.self,
        History.self,
        If.self,
        Listen.self,
        OutputCommand.self,
        Ping.self,
        ProfileCommand.self,
        Record.self,
        Repeat.self,
        Reply.self,
        Retry.self,
        Secret.self,
        SetCommand.self,
        Simulate.self,
        Sleep.self,
        Smart.self,
        Source.self,
        Status.self,
        TraceCommand.self,
        Unset.self,
        Version.self,
        Wait.self,
    ]

    /// What words name.
    public enum Target {
        /// A declared built-in (`ping`, `profile save`).
        case builtin(any ParsableCommand.Type)
        /// An API service (`users add`).
        case service(EndpointSpec)
        /// An API resource without its action (`users`, `autodialer groups`): the services under it.
        case resource([EndpointSpec])
    }

    public struct Resolution {
        /// Whether the words name a built-in (`ping` is also an API service's name).
        public var isBuiltin: Bool {
            if case .builtin = target { return true }
            return false
        }

        public var target: Target
        /// The words that named it (a slice of the line's words: resolving allocates nothing).
        let named: ArraySlice<String>

        init(target: Target, words: ArraySlice<String>) {
            self.target = target
            self.named = words
        }

        /// The words that named it (`["profile", "save"]`); the rest are its arguments.
        public var words: [String] { Array(named) }
        public var depth: Int { named.count }
        /// `profile save`, as usage lines and messages name it.
        public var path: String { named.joined(separator: " ") }
    }

    /// The built-in names, in table order.
    public static var builtinNames: [String] { builtins.map { $0.declaredName } }

    /// Every first word: built-ins, then API resources.
    public static var names: [String] { builtinNames + EndpointCatalog.resources.filter { byName[$0] == nil } }

    /// The first words completion and `help` offer: hidden built-ins left out.
    public static var shownNames: [String] {
        builtins.filter { $0.configuration.shouldDisplay }.map { $0.declaredName }
            + EndpointCatalog.resources.filter { byName[$0] == nil }
    }

    static let byName: [String: any ParsableCommand.Type] = Dictionary(
        uniqueKeysWithValues: builtins.map { ($0.declaredName, $0) })

    /// The built-ins with subcommands (`configuration` copies a whole declaration at each read:
    /// a line's resolution looks here instead).
    static let withSubcommands: Set<String> = Set(
        builtins.filter { !$0.configuration.subcommands.isEmpty }.map { $0.declaredName })

    /// Resolves the leading words of a command line: a built-in (as deep as its subcommands go),
    /// else the longest catalog row, else a resource's first words. Nil when the first word names
    /// nothing.
    public static func resolve(_ words: [String]) -> Resolution? {
        guard let first = words.first else { return nil }
        if let type = byName[first] {
            // Most built-ins have no subcommands: nothing to walk.
            guard withSubcommands.contains(first) else {
                return Resolution(target: .builtin(type), words: words.prefix(1))
            }
            let (found, depth) = walk(type, words.dropFirst())
            return Resolution(target: .builtin(found), words: words.prefix(depth + 1))
        }
        for n in stride(from: min(3, words.count), through: 1, by: -1) {
            if let spec = EndpointCatalog.endpoint(words: Array(words.prefix(n))) {
                return Resolution(target: .service(spec), words: words.prefix(n))
            }
        }
        for n in stride(from: min(2, words.count), through: 1, by: -1) {
            let prefix = Array(words.prefix(n))
            let specs = EndpointCatalog.all.filter { $0.words.count > n && Array($0.words.prefix(n)) == prefix }
            if !specs.isEmpty { return Resolution(target: .resource(specs), words: words.prefix(n)) }
        }
        return nil
    }

    /// The one subcommand walker: from a declared command down its subcommands as far as the
    /// words name them (words starting with `-` are skipped). Returns the command reached and how
    /// many words named subcommands.
    public static func walk(_ root: any ParsableCommand.Type, _ words: some Collection<String>) -> (
        any ParsableCommand.Type, Int
    ) {
        var current = root
        var depth = 0
        for word in words where !word.hasPrefix("-") {
            guard let sub = current.configuration.subcommands.first(where: { $0.declaredName == word }) else { break }
            current = sub
            depth += 1
        }
        return (current, depth)
    }

    /// The words that may follow a resolution, each with one line: subcommands of a built-in,
    /// actions of a resource.
    public static func next(_ resolution: Resolution) -> [(word: String, summary: String)] {
        switch resolution.target {
        case .builtin(let type):
            return type.configuration.subcommands.filter { $0.configuration.shouldDisplay }.map {
                ($0.declaredName, $0.configuration.abstract)
            }
        case .service:
            return []
        case .resource(let specs):
            var next: [(word: String, summary: String)] = []
            let depth = resolution.depth
            for spec in specs where !next.contains(where: { $0.word == spec.words[depth] }) {
                let word = spec.words[depth]
                next.append((word, spec.words.count == depth + 1 ? spec.summary : "\(resolution.path) \(word) …"))
            }
            return next
        }
    }

    /// The help of what words name: what `help CMD`, `CMD --help` and `simsh CMD --help` print.
    public static func help(_ resolution: Resolution) -> String {
        switch resolution.target {
        case .builtin(let type):
            let examples = (type as? Exemplified.Type).map { Examples.text($0.examples) } ?? ""
            return ShellRoot.helpMessage(for: type).trimmingCharacters(in: .newlines) + examples
        case .service(let spec):
            return APICommand.help(spec)
        case .resource:
            return
                (["\(resolution.path): one of"]
                + Output.keyValueLines(next(resolution).map { ("  " + $0.word, $0.summary) })).joined(separator: "\n")
        }
    }

    /// `unknown command 'usrs'; did you mean 'users'?`, else a pointer to `help`.
    public static func unknown(_ word: String, what: String = "command") -> SimshError {
        let hint = EditDistance.nearest(word, among: names).map { "; did you mean '\($0)'?" } ?? " (try 'help')"
        return SimshError.usage("unknown \(what) '\(word)'\(hint)")
    }

    /// The closest first word to a mistyped one, if any is close.
    public static func suggestion(for name: String) -> String? {
        EditDistance.nearest(name, among: names)
    }

    /// The one turn of a parse failure: nil when help was asked for (`--help`, `-h`: the caller
    /// shows it), else a usage error in one line.
    public static func parseFailure(_ error: Error, of type: any ParsableArguments.Type, path: String) -> SimshError? {
        guard type.exitCode(for: error) != .success else { return nil }
        return SimshError.usage(outputHint(oneLine(type.message(for: error), path: path)))
    }

    /// An unknown option near `--output` (a mode, which every command takes) is pointed there,
    /// never at `--out` (a file) as argument-parser's nearest declared name would.
    static func outputHint(_ line: String) -> String {
        guard let r = line.range(of: #"unknown option '--[^']*'"#, options: .regularExpression) else { return line }
        let option = String(line[r].dropFirst("unknown option '".count).dropLast())
        guard option != "--out", EditDistance.between(option, OutputOverride.option) <= 2 else { return line }
        let end = line.range(of: " (see '")?.lowerBound ?? line.endIndex
        return String(line[..<r.upperBound]) + "; did you mean '\(OutputOverride.option) MODE'?" + line[end...]
    }

    /// The one translation of argument-parser's messages: first line, lower-case, where to look.
    /// `connect: missing expected argument '<target>' (see 'connect --help')`.
    public static func oneLine(_ message: String, path: String) -> String {
        var text = message.split(separator: "\n").first.map(String.init) ?? message
        if let first = text.first { text = first.lowercased() + text.dropFirst() }
        if text.hasPrefix("error: ") { text.removeFirst("error: ".count) }
        return "\(path): \(text) (see '\(path) --help')"
    }
}

extension ParsableCommand {
    /// The name a declaration gives itself (`commandName:`, which every command of simsh states).
    public static var declaredName: String { configuration.commandName ?? "\(self)".lowercased() }
}

enum EditDistance {
    /// The candidate closest to a mistyped word, when it is close (1 edit for short words, 2 else).
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, between($0.lowercased(), word.lowercased())) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= (word.count <= 3 ? 1 : 2) else { return nil }
        return best
    }

    static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        // Optimal string alignment: insertions, deletions, substitutions and transpositions.
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
