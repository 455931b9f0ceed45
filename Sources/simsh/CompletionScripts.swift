/// argument-parser's completion scripts, with one addition it cannot declare: where a subcommand
/// may come (`simsh <TAB>`), a `.simsh` script may come too (`simsh check.simsh` runs it).
enum CompletionScripts {
    static func complete(_ script: String, shell: String) -> String {
        switch shell {
        case "bash":
            // In `_simsh`, after offering the subcommands.
            return script.replacingOccurrences(
                of: "        # Offer subcommand completions\n        COMPREPLY+=($(compgen -W '",
                with: "        # Offer subcommand completions, and .simsh scripts\n"
                    + "        __simsh_add_completions -G \"${cur}*.simsh\"\n"
                    + "        COMPREPLY+=($(compgen -W '")
        case "zsh":
            // In `_simsh` (the first function to offer subcommands), not in the groups' own.
            let offer = "        _describe -V subcommand subcommands && ret=0\n"
            guard let at = script.range(of: offer) else { return script }
            return script.replacingCharacters(in: at, with: offer + "        _files -g '*.simsh' && ret=0\n")
        case "fish":
            return script
                + "complete -c 'simsh' -n '__simsh_should_offer_completions_for_positional \"simsh\" -eq 1' "
                + "-k -a '(__fish_complete_suffix .simsh)'\n"
        default:
            return script
        }
    }
}
