import Foundation
import SimotelKit

/// Tab completion for the shell: command names, subcommands, options, option values and
/// profile names, all read from the commands' declarations.
public struct CompletionEngine: Sendable {
    public struct Result: Equatable, Sendable {
        public var word: String
        public var candidates: [String]
        public var appendSpace: Bool
    }

    let catalog: CommandCatalog
    /// Names that complete a `profile`-valued argument.
    let profileNames: @Sendable () -> [String]
    /// Record ids seen in earlier answers, for `_id=`.
    let recentIDs: @Sendable () -> [String]
    /// Profiles saved in the file (what `profile show|use|remove` take; `connect` also takes `demo`).
    let savedProfileNames: @Sendable () -> [String]
    /// A variable's typed value by dotted path (`response.data.0`), for `$` words.
    let variableValue: @Sendable (String) -> JSONValue?
    /// The session's variables, for `$` words.
    let variableNames: @Sendable () -> [String]

    public init(
        profileNames: @escaping @Sendable () -> [String], recentIDs: @escaping @Sendable () -> [String] = { [] },
        savedProfileNames: (@Sendable () -> [String])? = nil,
        variableValue: @escaping @Sendable (String) -> JSONValue? = { _ in nil },
        variableNames: @escaping @Sendable () -> [String] = { [] }
    ) {
        self.catalog = .shared
        self.profileNames = profileNames
        self.recentIDs = recentIDs
        self.savedProfileNames = savedProfileNames ?? profileNames
        self.variableValue = variableValue
        self.variableNames = variableNames
    }

    /// Candidates for the last word of `line` (the text before the cursor), each once.
    public func complete(_ line: String) -> Result {
        var result = candidates(line)
        var seen = Swift.Set<String>()
        result.candidates = result.candidates.filter { seen.insert($0).inserted }
        return result
    }

    func candidates(_ line: String) -> Result {
        let segment = String(line.split(separator: ";", omittingEmptySubsequences: false).last ?? "")
        var words = segment.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let current: String
        if segment.hasSuffix(" ") || segment.isEmpty { current = "" } else { current = words.popLast() ?? "" }

        if current.hasPrefix("$") { return variablePath(current) }
        guard !words.isEmpty else {
            return Result(word: current, candidates: CommandTable.shownNames.sorted(), appendSpace: true)
        }
        guard let resolution = CommandTable.resolve(words) else {
            return Result(word: current, candidates: [], appendSpace: false)
        }
        let rest = Array(words[resolution.depth...])
        switch resolution.target {
        case .service(let spec):
            return serviceCompletion(spec, rest, current: current)
        case .resource:
            let next = rest.isEmpty ? CommandTable.next(resolution).map(\.word) : []
            return Result(word: current, candidates: next, appendSpace: true)
        case .builtin:
            break
        }
        guard let node = catalog.command(at: resolution.words) else {
            return Result(word: current, candidates: [], appendSpace: false)
        }
        if let r = fromValues(resolution.path, rest, current: current) { return r }
        if current.hasPrefix("-") {
            let names = node.options.flatMap(\.names) + ["--help", OutputOverride.option]
            return Result(
                word: current, candidates: names.filter { $0.hasPrefix("--") || current.count <= 2 }.sorted(),
                appendSpace: true)
        }
        if let previous = rest.last, let option = node.options.first(where: { $0.names.contains(previous) }),
            !option.isFlag
        {
            return values(for: option, word: current)
        }
        if rest.isEmpty, !node.subcommands.isEmpty {
            return Result(word: current, candidates: node.subcommands.map(\.name).sorted(), appendSpace: true)
        }
        return positional(rest, in: node, current: current)
    }

    /// A positional argument's word: commands or services it names, else its declared values.
    func positional(_ rest: [String], in node: CommandCatalog.Command, current: String) -> Result {
        let position = positionalCount(rest, in: node)
        let positionals = node.positionals
        guard !positionals.isEmpty else { return Result(word: current, candidates: [], appendSpace: false) }
        let argument = positionals[min(position, positionals.count - 1)]
        // Arguments that name commands or services (`help`, `describe`, `call`), by their value name.
        switch argument.valueName {
        case ValueKind.command, ValueKind.commandOrPath:
            var names = commandWords(after: rest.filter { !$0.hasPrefix("-") })
            if argument.valueName == ValueKind.commandOrPath && position == 0 {
                names += EndpointCatalog.all.map(\.path)
            }
            return Result(word: current, candidates: names, appendSpace: true)
        case ValueKind.servicePath:
            return Result(word: current, candidates: EndpointCatalog.all.map(\.path), appendSpace: true)
        default:
            return values(for: argument, word: current)
        }
    }

    /// The word that may come after `words` at the start of a command: every first word, or what
    /// follows a resolved command (subcommands, a resource's actions).
    func commandWords(after words: [String]) -> [String] {
        guard !words.isEmpty else { return CommandTable.shownNames.sorted() }
        guard let resolution = CommandTable.resolve(words), resolution.depth == words.count else { return [] }
        let next = CommandTable.next(resolution).map(\.word)
        if case .builtin = resolution.target { return next.sorted() }
        return next
    }

    /// `users add n` → `name=`, `number=`; `users add active=` → `yes`, `no`; options that apply.
    func serviceCompletion(_ spec: EndpointSpec, _ words: [String], current: String) -> Result {
        // Where a file goes: `--out FILE`, and the file of an upload.
        if words.last == "--out" || (spec.body == .upload && !current.contains("=") && !current.hasPrefix("-")) {
            return files(current)
        }
        if let eq = current.firstIndex(of: "="), let field = spec.field(typed: String(current[..<eq])) {
            let prefix = String(current[...eq])
            let values = field.name == "_id" ? recentIDs() : field.allowed
            return Result(word: current, candidates: values.map { prefix + $0 }, appendSpace: true)
        }
        if current.hasPrefix("-") {
            let options = APIOptions.names(for: spec) + ["--help", OutputOverride.option]
            return Result(word: current, candidates: options.filter { $0.hasPrefix(current) }, appendSpace: true)
        }
        let typed = Swift.Set(words.compactMap { $0.split(separator: "=").first.map(String.init) })
        let names = spec.typedFieldNames.filter { !typed.contains($0) }
        // A name with a space completes quoted, as the lexer needs it.
        let candidates = names.map { $0.contains(" ") ? "\"\($0)\"=" : $0 + "=" }
        return Result(word: current, candidates: candidates, appendSpace: false)
    }

    /// How many positional words precede the cursor (skipping options and their values).
    func positionalCount(_ words: [String], in node: CommandCatalog.Command) -> Int {
        var count = 0
        var i = 0
        while i < words.count {
            let w = words[i]
            if w.hasPrefix("-") {
                if let option = node.options.first(where: { $0.names.contains(w) }), !option.isFlag { i += 1 }
            } else {
                count += 1
            }
            i += 1
        }
        return count
    }

    func values(for argument: CommandCatalog.Argument, word: String) -> Result {
        if let name = argument.valueName, name == ValueKind.profile || name == ValueKind.profileOrURL {
            let names = name == ValueKind.profile ? savedProfileNames() : profileNames()
            return Result(word: word, candidates: names.sorted(), appendSpace: true)
        }
        if !argument.values.isEmpty { return Result(word: word, candidates: argument.values, appendSpace: true) }
        if argument.completesFiles { return files(word) }
        return Result(word: word, candidates: [], appendSpace: false)
    }

    func files(_ word: String) -> Result {
        let dirPart = word.contains("/") ? String(word[...word.lastIndex(of: "/")!]) : ""
        let dir =
            dirPart.isEmpty ? "." : (dirPart.hasPrefix("~") ? NSString(string: dirPart).expandingTildeInPath : dirPart)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var candidates: [String] = []
        for e in entries.sorted() where !e.hasPrefix(".") || word.hasSuffix(".") {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(e), isDirectory: &isDir)
            candidates.append(dirPart + e + (isDir.boolValue ? "/" : ""))
        }
        return Result(word: word, candidates: candidates, appendSpace: true)
    }
}
