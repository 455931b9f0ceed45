import Foundation
import SafeFiles
import SimotelKit
import SimshLanguage
import Synchronization

/// `record FILE`: the shell's entries, from now on, as a `.simsh` script (mode 0600). A secret is
/// written as a `${NAME}` variable (the name of a variable holding it, else from its option, field
/// or header), never as itself and never as a mask: `****` in a URL or a header would be sent as
/// the password when the script runs. `set NAME <secret>` (a secret-looking NAME) is written as
/// `secret NAME`, which takes the value when the script runs. An entry whose secret cannot be
/// made a variable is kept only as a comment, masked; a failed entry is kept as a comment; a line
/// typed with a leading space (kept out of history) is not kept at all.
/// Where the secrets stand is `Redactor`'s reading (`scan`, `secretSet`), as for the history.
/// The one task running the shell's entries (`Session.recordEntry`) uses it, one entry at a time;
/// the names given and the file's writes are behind locks besides.
public final class Recorder: Sendable {
    /// The command that starts and stops a recording: kept out of it.
    public static let commandName = "record"

    public let path: String
    private let writing = Mutex(())
    /// The variable each secret was written as.
    private let named = Mutex<[String: String]>([:])
    private let file: SafeFile.Appender

    /// What an entry is written as.
    struct Recording {
        /// The entry with each secret as a variable (refused: masked, for a comment).
        var text: String
        /// The variables a replay must be given, one comment line each.
        var notes: [String] = []
        /// A secret could not be written as a variable: the entry is kept only as a comment.
        var refused = false

        /// Notes that a replay must be given the variable NAME (once).
        mutating func need(_ name: String) {
            let note = Recorder.note(name)
            if !notes.contains(note) { notes.append(note) }
        }
    }

    /// Starts the file (replacing it, private: mode 0600), or fails with an I/O error naming it.
    public init(path: String) throws {
        self.path = path
        let header = "# recorded by simsh \(SimotelKitInfo.version) on \(ISO8601DateFormatter().string(from: Date()))\n"
        do { file = try SafeFile.Appender(path: path, header: header, mode: 0o600) } catch {
            throw SimshError.io(error.description)
        }
    }

    /// Adds an entry that ran with `status`.
    public func add(_ entry: String, status: Int32, session: Session) throws {
        let recording = parameterized(entry, session: session)
        var text = recording.text
        if recording.refused {
            text =
                "# not recorded: a secret in it cannot be written as a variable (type it again with the secret):\n"
                + Self.commented(text)
        } else if status != 0 {
            text = "# failed (exit \(status)):\n" + Self.commented(text)
        }
        let notes = recording.refused ? [] : recording.notes
        try writing.withLock { _ throws(SimshError) in
            do throws(FileProblem) { try file.append(notes.joined() + text + "\n") } catch {
                throw SimshError.io(error.description)
            }
        }
    }

    static func commented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n")
    }

    /// The comment saying how a replay gives the variable NAME.
    static func note(_ name: String) -> String {
        "# needs $\(name): simsh --secret-env \(name) FILE with \(name) in the environment, "
            + "or --secret-file \(name)=PATH\n"
    }

    /// The entry with each secret replaced by a variable, and the variables newly named.
    func parameterized(_ entry: String, session: Session) -> Recording {
        guard let commands = try? Lexer.parse(entry, file: "-") else {
            let masked = session.secrets.redact(Redactor.redact(entry))
            return Recording(text: masked, refused: masked != entry)
        }
        let chars = Array(entry)
        var replacements: [(Range<Int>, String)] = []
        var recording = Recording(text: entry)
        for command in commands {
            parameterize(command, session: session, replacements: &replacements, recording: &recording)
        }
        if recording.refused {
            recording.text = session.secrets.redact(Redactor.redact(entry))
            recording.notes = []
        } else {
            recording.text = Redactor.replacing(chars, replacements)
        }
        return recording
    }

    /// One command of an entry: the replacements writing its secrets as variables, the variables
    /// they need and whether a secret in it cannot be written so (in `recording`).
    func parameterize(
        _ command: ParsedCommand, session: Session, replacements: inout [(Range<Int>, String)],
        recording: inout Recording
    ) {
        let words = command.words
        let texts = words.map(\.literalText)
        if let assignment = Redactor.secretSet(texts), Self.holdsText(words[assignment.words]) {
            // `set api_token = "…"`, `set mytoken …`: the value is the secret itself. Replayed
            // as `secret NAME`, which takes it from the variable given (--secret-env NAME,
            // --secret-file NAME=PATH, SIMSH_VAR_NAME) or $NAME in the environment, masked.
            let name = assignment.name
            guard VariableName.isPlain(name) else {
                recording.refused = true
                return
            }
            replacements.append(
                (words[0].sourceRange.lowerBound..<words.last!.sourceRange.upperBound, "secret \(name)"))
            if let value = session.textVariables[name] { named.withLock { $0[value] = name } }
            recording.need(name)
            return
        }
        let findings = Redactor.scan(texts)
        // A secret found in one word (`secret=abc12345`) is a secret in every word of the line.
        let lineSecrets = findings.values.flatMap(\.secrets).filter { $0.count >= SecretValues.minimumForSubstring }
        for (i, word) in words.enumerated() {
            guard let text = texts[i] else {
                // A word with variables holding a secret in its text (`"https://admin:pw@$HOST"`)
                // cannot be written with a variable for it here: refused, kept masked.
                let afterOption = i > 0 && texts[i - 1].map(Redactor.secretOptions.contains) == true
                if Self.holdsSecret(word, afterSecretOption: afterOption, lineSecrets: lineSecrets, session: session) {
                    recording.refused = true
                }
                continue
            }
            var secrets = findings[i]?.secrets ?? []
            secrets += (session.secrets.values + lineSecrets).filter { text.contains($0) && !secrets.contains($0) }
            secrets = secrets.filter { !$0.isEmpty && !SecretNames.isMask($0) }
            guard !secrets.isEmpty else {
                // A word masked with no secret taken out of it (a JSON body that does not parse)
                // cannot be written with a variable, and its mask must not be sent: refused.
                // A word whose secrets are all masks already holds none: kept as typed.
                if let finding = findings[i], finding.secrets.isEmpty { recording.refused = true }
                continue
            }
            let body = quotedBody(
                text, secrets: secrets, previous: i > 0 ? texts[i - 1] : nil, hint: findings[i]?.name,
                session: session, recording: &recording)
            replacements.append((word.sourceRange, "\"" + body + "\""))
        }
    }

    /// Whether a word with variables holds a secret in its text: one `Redactor` masks, a secret
    /// of the session's or one found elsewhere on the line.
    static func holdsSecret(_ word: Word, afterSecretOption: Bool, lineSecrets: [String], session: Session) -> Bool {
        let literal = word.parts.map { part -> String in
            if case .literal(let t) = part { return t }
            return "\u{0}"
        }.joined()
        return Redactor.maskedMixedWord(word, afterSecretOption: afterSecretOption) != nil
            || (session.secrets.values + lineSecrets).contains(where: {
                !$0.isEmpty && literal.contains($0)
            })
    }

    /// A word's text as it goes between double quotes, each of its secrets written as `${NAME}`
    /// (the variables a replay needs noted in `recording`).
    func quotedBody(
        _ text: String, secrets: [String], previous: String?, hint: String?, session: Session,
        recording: inout Recording
    ) -> String {
        var rewritten = Self.doubleQuotedBody(text)
        for secret in secrets.sorted(by: { $0.count > $1.count }) {
            let name = variableName(for: secret, word: text, previous: previous, hint: hint, session: session)
            if session.textVariables[name] != secret { recording.need(name) }
            // As typed, or as a JSON string holds it (`"a\"b"` in a body).
            let json = String(JSONValue.string(secret).serialized().dropFirst().dropLast())
            for form in json == secret ? [secret] : [json, secret] {
                rewritten = rewritten.replacingOccurrences(of: Self.doubleQuotedBody(form), with: "${\(name)}")
            }
        }
        return rewritten
    }

    /// Whether words hold text of their own (a letter or digit outside `$NAME`s): `set mytoken
    /// $OTHER` and `set mytoken = $a + $b` hold none, the secret is elsewhere.
    static func holdsText(_ words: ArraySlice<Word>) -> Bool {
        words.contains { word in
            word.parts.contains { part in
                guard case .literal(let text) = part else { return false }
                return text.contains { $0.isLetter || $0.isNumber }
            }
        }
    }

    /// A variable holding the secret, else a name from where it stands (`--password` →
    /// `PASSWORD`, a URL's password → `PASSWORD`, `-H 'X-APIKEY: …'` → `X_APIKEY`, `secret=…` →
    /// `SECRET`), the same name each time for the same value.
    func variableName(for secret: String, word: String, previous: String?, hint: String?, session: Session) -> String {
        let held = session.textVariables.first { $0.value == secret && VariableName.isPlain($0.key) }?.key
        return named.withLock { named in
            if let known = named[secret] { return known }
            if let held {
                named[secret] = held
                return held
            }
            let base = Self.nameBase(word: word, previous: previous, hint: hint)
            var name = base
            var n = 2
            while named.values.contains(name) {
                name = base + "_\(n)"
                n += 1
            }
            named[secret] = name
            return name
        }
    }

    /// A name from where a secret stands: the option before it, a hint, a `field=` before it.
    static func nameBase(word: String, previous: String?, hint: String?) -> String {
        var base = "SECRET"
        if let previous, previous.hasPrefix("--") {
            base = String(previous.dropFirst(2))
        } else if let hint {
            base = hint
        } else if let eq = word.firstIndex(of: "="), !word.hasPrefix("{") {
            base = String(word[..<eq].split(separator: ".").last ?? "secret").replacingOccurrences(of: ":", with: "")
        }
        return base.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce("") { $0 + String($1) }
    }

    /// Text as it goes between double quotes (`"`, `\`, `$` and backquote escaped), scalar by
    /// scalar: a quote a combining mark follows is one `Character`, and would end the string.
    static func doubleQuotedBody(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" || scalar == "$" || scalar == "`" { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }
}

extension Session {
    /// Writes a shell entry to the recording, if one is running (`record` itself is not kept).
    public func recordEntry(_ entry: String, status: Int32) {
        guard let recorder else { return }
        // Kept out of the history by its leading space, and so out of the recording.
        if HistoryStore.isPrivate(entry) { return }
        let first = entry.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map(String.init)
        if first == Recorder.commandName { return }
        do {
            try recorder.add(entry, status: status, session: self)
        } catch {
            self.recorder = nil
            output.warning("recording stopped: \(SimshError.from(error).message)")
        }
    }
}
