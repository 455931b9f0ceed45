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
        let before = Array(words.prefix(index).dropFirst())
        // The command starts at the first word that names one (simsh's own options come before it).
        guard let start = before.firstIndex(where: { CommandTable.resolve([$0]) != nil }) else {
            // Its first word: the API's resources (the built-ins are subcommands the script lists).
            return CommandTable.shownNames.filter { CommandTable.resolve([$0])?.isBuiltin != true }
                .filter { $0.hasPrefix(prefix) }.sorted()
        }
        let engine = CompletionEngine(profileNames: { ConnectionOptions.profileNames("") })
        let result = engine.complete((before[start...] + [prefix]).joined(separator: " "))
        return result.candidates.filter { $0.hasPrefix(result.word) }
    }
}
