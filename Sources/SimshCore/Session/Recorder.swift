import Foundation
import SimotelKit

/// `record FILE`: the shell's entries, from now on, as a `.simsh` script. A secret is written
/// as a `${NAME}` variable (the name of a variable holding it, else from its option or field),
/// never as itself; a failed entry is kept as a comment.
/// Sendable: it is used by the one task running the shell's entries (`Session.recordEntry`), one
/// entry at a time; the file write is under `lock` besides.
public final class Recorder: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var named: [String: String] = [:]

    /// Starts the file (replacing it), or fails with an I/O error naming it.
    public init(path: String) throws {
        self.path = path
        let header = "# recorded by simsh \(SimotelKitInfo.version) on \(ISO8601DateFormatter().string(from: Date()))\n"
        try AtomicFile.write(header, to: path, mode: 0o644)
    }

    /// Adds an entry that ran with `status`.
    public func add(_ entry: String, status: Int32, session: Session) throws {
        var (text, needs) = parameterized(entry, session: session)
        if status != 0 {
            text =
                "# failed (exit \(status)):\n"
                + text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "# " + $0 }.joined(separator: "\n")
        }
        let notes = needs.map { "# needs $\($0): simsh --secret \($0)=… FILE, or SIMSH_VAR_\($0) in the environment\n" }
        try lock.withLock {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw SimshError.io("cannot write \(path)")
            }
            defer { try? handle.close() }
            handle.seekToEndOfFile()
            handle.write(Data((notes.joined() + text + "\n").utf8))
        }
    }

    /// The entry with each secret replaced by a variable, and the variables newly named.
    func parameterized(_ entry: String, session: Session) -> (String, [String]) {
        guard let commands = try? Lexer.parse(entry, file: "-") else { return (Redactor.redact(entry), []) }
        let chars = Array(entry)
        var replacements: [(Range<Int>, String)] = []
        var needs: [String] = []
        for command in commands {
            let texts = command.words.map(\.literalText)
            let findings = Redactor.scan(texts)
            // A secret found in one word (`secret=abc12345`) is a secret in every word of the line.
            let lineSecrets = findings.values.flatMap(\.secrets).filter { $0.count >= SecretValues.minimumForSubstring }
            for (i, word) in command.words.enumerated() {
                guard let text = texts[i] else { continue }
                var secrets = findings[i]?.secrets ?? []
                secrets += (session.secrets.values + lineSecrets).filter { text.contains($0) && !secrets.contains($0) }
                secrets = secrets.filter { !$0.isEmpty && !SecretNames.isMask($0) }
                guard !secrets.isEmpty else {
                    if let masked = findings[i]?.replacement { replacements.append((word.sourceRange, masked)) }
                    continue
                }
                var rewritten = Self.doubleQuotedBody(text)
                for secret in secrets.sorted(by: { $0.count > $1.count }) {
                    let name = variableName(
                        for: secret, word: text, previous: i > 0 ? texts[i - 1] : nil, session: session)
                    if !needs.contains(name), session.variables[name] != secret { needs.append(name) }
                    rewritten = rewritten.replacingOccurrences(of: Self.doubleQuotedBody(secret), with: "${\(name)}")
                }
                replacements.append((word.sourceRange, "\"" + rewritten + "\""))
            }
        }
        return (Redactor.replacing(chars, replacements), needs)
    }

    /// A variable holding the secret, else a name from where it stands (`--password` →
    /// `PASSWORD`, `secret=…` → `SECRET`), the same name each time for the same value.
    func variableName(for secret: String, word: String, previous: String?, session: Session) -> String {
        if let known = named[secret] { return known }
        if let (name, _) = session.variables.first(where: { $0.value == secret && SetCommand.isValidName($0.key) }) {
            named[secret] = name
            return name
        }
        var base = "SECRET"
        if let previous, previous.hasPrefix("--") {
            base = String(previous.dropFirst(2))
        } else if let eq = word.firstIndex(of: "="), !word.hasPrefix("{") {
            base = String(word[..<eq].split(separator: ".").last ?? "secret").replacingOccurrences(of: ":", with: "")
        }
        base = base.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce("") { $0 + String($1) }
        var name = base
        var n = 2
        while named.values.contains(name) {
            name = base + "_\(n)"
            n += 1
        }
        named[secret] = name
        return name
    }

    /// Text as it goes between double quotes (`"`, `\`, `$` and backquote escaped).
    static func doubleQuotedBody(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\"" || c == "\\" || c == "$" || c == "`" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

extension Session {
    /// Writes a shell entry to the recording, if one is running (`record` itself is not kept).
    public func recordEntry(_ entry: String, status: Int32) {
        guard let recorder else { return }
        let first = entry.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map(String.init)
        if first == Record._commandName { return }
        do {
            try recorder.add(entry, status: status, session: self)
        } catch {
            self.recorder = nil
            output.warning("recording stopped: \(SimshError.from(error).message)")
        }
    }
}
