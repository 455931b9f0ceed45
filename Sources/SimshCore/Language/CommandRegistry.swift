import ArgumentParser

/// Every shell command, listed once and sorted by name (a test keeps it sorted).
public enum CommandRegistry {
    public static let commands: [any ParsableCommand.Type] = [
        Announce.self,
        Connect.self,
        Disconnect.self,
        Echo.self,
        Exit.self,
        Help.self,
        History.self,
        OutputCommand.self,
        Ping.self,
        ProfileCommand.self,
        SetCommand.self,
        Sleep.self,
        Source.self,
        Status.self,
        Unset.self,
        Version.self,
    ]

    /// The command names, in registry order.
    public static var names: [String] { commands.map { $0._commandName } }

    /// The command declared under a name (subcommands follow further words).
    public static func command(named name: String) -> (any ParsableCommand.Type)? {
        commands.first { $0._commandName == name }
    }

    /// Resolves `["profile", "save"]` to the deepest declared command and how many words named it.
    public static func resolve(_ words: [String]) -> (command: any ParsableCommand.Type, depth: Int)? {
        guard let first = words.first, var current = command(named: first) else { return nil }
        var depth = 1
        while depth < words.count,
              let sub = current.configuration.subcommands.first(where: { $0._commandName == words[depth] }) {
            current = sub
            depth += 1
        }
        return (current, depth)
    }

    /// The closest command name to a mistyped one, if any is close.
    public static func suggestion(for name: String) -> String? {
        let scored = names.map { ($0, EditDistance.between($0, name)) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(1, name.count / 3) else { return nil }
        return best
    }
}

enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
