import ArgumentParser
import SimshLanguage
import SimshRuntime
import Synchronization

/// The built-in commands and the catalog's services, as the runtime runs them: words resolved by
/// `CommandTable`, parsed with the declaration they name, run against the session.
public final class Builtins: CommandSet {
    public init() {}

    public func onlyShows(_ words: [String]) -> Bool {
        guard case .builtin(let type as ShellCommand.Type)? = CommandTable.resolve(words)?.target else { return false }
        return !type.sendsWords
    }

    /// Parses words with the command's declaration and runs the command. The words after the
    /// command's name are parsed against that command alone (`Ping.parseAsRoot(rest)`), not
    /// against the whole tree: same messages, and a fraction of the cost per line.
    nonisolated(nonsending) public func run(_ words: [String], in session: Session) async throws {
        guard let name = words.first else { return }
        guard let resolution = CommandTable.resolve(words) else { throw CommandTable.unknown(name) }
        let (rest, mode) = try OutputOverride.split(Array(words[resolution.depth...]))
        try await OutputOverride.with(mode, in: session) { try await run(resolution, rest, in: session) }
    }

    nonisolated(nonsending) func run(_ resolution: CommandTable.Resolution, _ rest: [String], in session: Session)
        async throws
    {
        let type: any ParsableCommand.Type
        switch resolution.target {
        case .builtin(let declared): type = declared
        case .service(let spec):
            try await APICommand.run(spec, arguments: rest, in: session)
            return
        case .resource:
            try APICommand.explainActions(resolution, arguments: rest, in: session)
            return
        }
        let key = ParseKey(type: ObjectIdentifier(type), words: rest)
        if let cached = parseCache.withLock({ $0[key] }) {
            try await cached.run(in: session)
            return
        }
        let parsed: ParsableCommand
        do {
            parsed = try ManyWordsParsing.parse(type, rest) ?? type.parseAsRoot(rest)
        } catch {
            if let failure = CommandTable.parseFailure(error, of: type, path: resolution.path) { throw failure }
            HelpText.show(CommandTable.help(resolution), in: session)
            return
        }
        guard let command = parsed as? ShellCommand else {
            // argument-parser answers `help` inside a group with its own help command.
            HelpText.show(CommandTable.help(resolution), in: session)
            return
        }
        parseCache.withLock { cache in
            if cache.count >= Self.parseCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = command
        }
        try await command.run(in: session)
    }

    /// Commands already parsed from the same words (a line repeated, a loop's body): parsing
    /// with argument-parser reflects over the declaration each time and dominates a simple
    /// command's cost. Parsing depends on the words alone, so a parsed value can be run again.
    private let parseCache = Mutex([ParseKey: any ShellCommand]())
    static let parseCacheLimit = 4096

    struct ParseKey: Hashable {
        var type: ObjectIdentifier
        var words: [String]
    }
}
