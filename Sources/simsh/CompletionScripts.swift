/// argument-parser's completion scripts, completed with what the command tree cannot declare:
/// the default mode's options at the root (`simsh --pro` → `--profile`: they belong to `shell`,
/// and declared on the root too they would clash with `test`'s), and `.simsh` scripts where a
/// subcommand may come (`simsh check.simsh` runs it), and the API's resources, actions and fields
/// (`simsh users search n…`), asked of simsh through argument-parser's custom-completion call
/// (`CommandLineCompletion`). Each addition is copied from the script's own `shell` function, so
/// nothing is listed twice.
enum CompletionScripts {
    static func complete(_ script: String, shell: String) -> String {
        switch shell {
        case "bash": return bash(script)
        case "zsh": return zsh(script)
        case "fish": return fish(script)
        default: return script
        }
    }

    /// The text between two markers, from `start` on.
    static func between(_ text: String, _ open: String, _ close: String, from start: String.Index? = nil)
        -> Range<String.Index>?
    {
        guard let a = text.range(of: open, range: (start ?? text.startIndex)..<text.endIndex),
            let b = text.range(of: close, range: a.upperBound..<text.endIndex)
        else { return nil }
        return a.upperBound..<b.lowerBound
    }

    static func bash(_ script: String) -> String {
        guard let shellFunction = script.range(of: "\n_simsh_shell() {\n"),
            let arrays = between(script, "\n_simsh_shell() {\n", "    __simsh_offer_flags_options -1\n"),
            let valuesStart = script.range(
                of: "    # Offer option value completions\n", range: shellFunction.upperBound..<script.endIndex),
            let valuesEnd = script.range(of: "\n    esac\n", range: valuesStart.upperBound..<script.endIndex)
        else { return script }
        let values = valuesStart.lowerBound..<valuesEnd.lowerBound
        let rootArrays =
            "    local -a repeating_flags=()\n    local -a non_repeating_flags=(-h --help)\n"
            + "    local -a repeating_options=()\n    local -a non_repeating_options=()\n"
            + "    __simsh_offer_flags_options 0\n"
        let shellArrays = script[arrays].split(separator: "\n").map {
            "    local -a " + $0.trimmingCharacters(in: .whitespaces)
        }
        var out = script.replacingOccurrences(
            of: rootArrays,
            with: shellArrays.joined(separator: "\n") + "\n    __simsh_offer_flags_options 0\n\n"
                + script[values] + "\n    esac\n")
        let offer = "        # Offer subcommand completions\n"
        if let at = out.range(of: offer), let end = out.range(of: "\n        ;;\n", range: at.upperBound..<out.endIndex)
        {
            let subcommands = out[at.upperBound..<end.lowerBound]
            out.replaceSubrange(
                at.lowerBound..<end.lowerBound,
                with:
                    "        # Offer subcommand completions, .simsh scripts and the API's resources; after one, its words\n"
                    + "        if [[ \"${#unparsed_words[@]}\" -eq 0 ]]; then\n"
                    + "            __simsh_add_completions -G \"${cur}*.simsh\"\n    " + subcommands + "\n        fi\n"
                    // simsh filters the candidates itself: bash's own filter would drop all of them
                    // after a `=` (a word of its own for bash: `user_type=<Tab>`).
                    + "        local IFS=$'\\n'\n"
                    + "        COMPREPLY+=($(__simsh_custom_complete \(callback) \"${COMP_CWORD}\" "
                    + "\"$(__simsh_cursor_index_in_current_word)\"))")
        }
        return out
    }

    /// argument-parser's custom-completion call of the hidden option (`CommandLineCompletion`).
    static let callback = "---completion shell -- \(CommandLineCompletion.option)"

    static func zsh(_ script: String) -> String {
        guard let shellFunction = script.range(of: "\n_simsh_shell() {\n"),
            let body = between(
                script, "    local -i ret=1\n", "    local -ar arg_specs=(\n", from: shellFunction.upperBound),
            let specs = between(script, "    local -ar arg_specs=(\n", "\n    )\n", from: shellFunction.upperBound),
            let root = script.range(of: "\n_simsh() {\n")
        else { return script }
        let options = script[specs].split(separator: "\n").filter { !$0.contains("*:file:") && !$0.contains("--help") }
        var out = script
        // The root's own specs: its --help line comes first; the shell's options go before it.
        if let help = out.range(
            of: "        '(-h --help)'{-h,--help}'[Show help information.]'\n", range: root.upperBound..<out.endIndex)
        {
            out.replaceSubrange(help.lowerBound..<help.lowerBound, with: options.joined(separator: "\n") + "\n")
        }
        if let rootSpecs = out.range(of: "    local -ar arg_specs=(\n", range: root.upperBound..<out.endIndex) {
            out.replaceSubrange(rootSpecs.lowerBound..<rootSpecs.lowerBound, with: String(script[body]))
        }
        let offer = "        _describe -V subcommand subcommands && ret=0\n"
        let custom =
            "__simsh_custom_complete \(callback) \"${current_word_index}\" \"$(__simsh_cursor_index_in_current_word)\""
        if let at = out.range(of: offer, range: root.upperBound..<out.endIndex) {
            out.replaceSubrange(at, with: offer + "        _files -g '*.simsh' && ret=0\n        \(custom) && ret=0\n")
        }
        // After an API resource (not a subcommand), its actions and fields.
        let arg = "            \"_simsh_${words[1]}\" && ret=0\n            ;;\n"
        if let at = out.range(of: arg, range: root.upperBound..<out.endIndex) {
            out.replaceSubrange(at, with: arg + "        *)\n            \(custom) && ret=0\n            ;;\n")
        }
        return out
    }

    static func fish(_ script: String) -> String {
        let shellOptions = script.split(separator: "\n").filter {
            $0.contains("__simsh_should_offer_completions_for_flags_or_options \"simsh shell\"")
                && !$0.contains("-l 'help'")
        }
        return script
            + shellOptions.map { $0.replacingOccurrences(of: "\"simsh shell\"", with: "\"simsh\"") }.joined(
                separator: "\n")
            + "\ncomplete -c 'simsh' -n '__simsh_should_offer_completions_for_positional \"simsh\" -eq 1' "
            + "-k -a '(__fish_complete_suffix .simsh)'\n"
            // The API's resources, and after one its actions and fields.
            + "complete -c 'simsh' -n '__simsh_should_offer_completions_for_positional \"simsh\" -ge 1' "
            + "-fka '(__simsh_custom_completion \(callback) (count (__simsh_tokens -pc)) (__simsh_tokens -tC))'\n"
    }
}
