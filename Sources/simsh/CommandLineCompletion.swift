import SimshCommands

/// Completion of a one-shot command on simsh's own command line (`simsh users search n<TAB>`) for
/// bash, zsh and fish: argument-parser's scripts know the built-ins' declarations; the API's
/// resources, actions and fields come from the shell's own `CompletionEngine`, asked through
/// argument-parser's custom-completion call of a hidden option (`CompletionScripts` adds the call).
enum CommandLineCompletion {
    /// The hidden option whose custom completion this is.
    static let option = "--command-words"

    /// Candidates for `words[index]` (starting with `prefix`); `words[0]` is the program.
    static func complete(_ words: [String], index: Int, prefix: String) -> [String] {
        let (before, current, replaced) = joined(Array(words.prefix(index).dropFirst()), prefix)
        // The command starts at the first word that names one (simsh's own options come before it).
        guard let start = before.firstIndex(where: { CommandTable.resolve([$0]) != nil }) else {
            // Its first word: the API's resources (the built-ins are subcommands the script lists).
            return CommandTable.shownNames.filter { CommandTable.resolve([$0])?.isBuiltin != true }
                .filter { $0.hasPrefix(prefix) }.sorted()
        }
        let engine = CompletionEngine(profileNames: { ConnectionOptions.profileNames("") })
        let result = engine.complete((before[start...] + [current]).joined(separator: " "))
        return result.candidates.filter { $0.hasPrefix(result.word) }.map { String($0.dropFirst(replaced.count)) }
    }

    /// bash splits words at `=` (`user_type=SI` is `user_type`, `=`, `SI`): the words put back
    /// together, the word being completed whole, and the part of it the shell keeps (`user_type=`),
    /// which the candidates must not repeat.
    static func joined(_ words: [String], _ prefix: String) -> (before: [String], current: String, kept: String) {
        var all = words + [prefix]
        var kept = ""
        if all.count >= 2, all[all.count - 1] == "=" || all[all.count - 2] == "=" {
            let value = all.last == "=" ? "" : all.removeLast()
            all.removeLast()  // the `=`
            let name = all.popLast() ?? ""
            kept = name + "="
            all.append(kept + value)
        }
        var before: [String] = []
        var glue = false
        for word in all.dropLast() {
            if word == "=", let last = before.popLast() {
                before.append(last + "=")
                glue = true
            } else if glue, !before.isEmpty {
                before[before.count - 1] += word
                glue = false
            } else {
                before.append(word)
            }
        }
        return (before, all.last ?? prefix, kept)
    }
}
