import SimshLanguage
import SimshRuntime

/// `--output MODE` after any command's words (`users search --output json`): the mode for that
/// command alone. Taken out of the words before the command's own declaration parses them (no
/// command declares `--output`; `--out FILE` is another option), up to a `--`.
public enum OutputOverride {
    static let option = "--output"

    /// The words without `--output MODE` / `--output=MODE`, and the mode asked for.
    public static func split(_ words: [String]) throws -> (words: [String], mode: OutputMode?) {
        guard words.contains(where: { $0.hasPrefix("--output") }) else { return (words, nil) }
        var kept: [String] = []
        var mode: OutputMode?
        var i = 0
        while i < words.count {
            let word = words[i]
            if word == "--" {
                kept += words[i...]
                break
            }
            if word == "--output" || word.hasPrefix("--output=") {
                let value = word == "--output" ? (i + 1 < words.count ? words[i + 1] : nil) : String(word.dropFirst(9))
                guard let value, let parsed = OutputMode(rawValue: value) else {
                    let modes = OutputMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw SimshError.usage("--output wants one of \(modes)")
                }
                mode = parsed
                i += word == "--output" ? 2 : 1
                continue
            }
            kept.append(word)
            i += 1
        }
        return (kept, mode)
    }

    /// Runs `body` with the session's output mode set to `mode`, then puts the mode back (unless
    /// the command itself changed it: `output json --output pretty` keeps `json`).
    nonisolated(nonsending) static func with(
        _ mode: OutputMode?, in session: Session, _ body: nonisolated(nonsending) () async throws -> Void
    ) async throws {
        guard let mode, mode != session.outputMode else { return try await body() }
        let before = session.outputMode
        session.outputMode = mode
        defer { if session.outputMode == mode { session.outputMode = before } }
        do {
            try await body()
        } catch is CancellationError {
            throw CancellationError()
        } catch let e as ExitRequest {
            throw e
        } catch {
            // Reported after the mode is back: the failure keeps the command's own.
            var e = SimshError.from(error)
            e.asJSON = mode == .json
            throw e
        }
    }
}

/// simsh's own `--quiet` (`-q`) after a one-shot command's words (`simsh users search --quiet`, as
/// kubectl, gh and stripe allow), unless the command declares a `--quiet` of its own (`listen
/// events --quiet` keeps its meaning). `--output MODE` needs nothing here: every command takes it.
public enum TrailingQuiet {
    public static func split(_ words: [String]) -> (words: [String], quiet: Bool) {
        guard let at = words.firstIndex(where: { $0 == "--quiet" || $0 == "-q" }),
            !words[..<at].contains("--")
        else { return (words, false) }
        if let resolution = CommandTable.resolve(words), resolution.isBuiltin,
            let declared = CommandCatalog.shared.command(at: Array(words.prefix(resolution.depth))),
            declared.options.contains(where: { $0.names.contains(words[at]) })
        {
            return (words, false)
        }
        var rest = words
        rest.remove(at: at)
        return (rest, true)
    }

    /// The words without simsh's `--quiet`, which quiets `output` when it was there.
    public static func split(_ words: [String], quieting output: Output) -> [String] {
        let (rest, quiet) = split(words)
        if quiet { output.quiet = true }
        return rest
    }
}
