import ArgumentParser

/// Every shell command, listed once and sorted by name (a test keeps it sorted).
public enum CommandRegistry {
    public static let commands: [any ParsableCommand.Type] = [
        Announce.self,
        Call.self,
        Connect.self,
        Describe.self,
        Disconnect.self,
        Echo.self,
        Events.self,
        Exit.self,
        Help.self,
        History.self,
        Listen.self,
        OutputCommand.self,
        Ping.self,
        ProfileCommand.self,
        SetCommand.self,
        Simulate.self,
        Sleep.self,
        Source.self,
        Status.self,
        Unset.self,
        Version.self,
        Wait.self,
    ]

    /// The command names, in registry order.
    public static var names: [String] { commands.map { $0._commandName } }

    /// The commands by name, built once.
    static let byName: [String: any ParsableCommand.Type] = Dictionary(
        uniqueKeysWithValues: commands.map { ($0._commandName, $0) })

    /// The command declared under a name (subcommands follow further words).
    public static func command(named name: String) -> (any ParsableCommand.Type)? {
        byName[name]
    }

    /// Resolves `["profile", "save"]` to the deepest declared command and how many words named it.
    public static func resolve(_ words: [String]) -> (command: any ParsableCommand.Type, depth: Int)? {
        guard let first = words.first, var current = command(named: first) else { return nil }
        var depth = 1
        while depth < words.count, !current.configuration.subcommands.isEmpty,
            let sub = current.configuration.subcommands.first(where: { $0._commandName == words[depth] })
        {
            current = sub
            depth += 1
        }
        return (current, depth)
    }

    /// The closest command name to a mistyped one, if any is close.
    public static func suggestion(for name: String) -> String? {
        EditDistance.nearest(name, among: names)
    }
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
