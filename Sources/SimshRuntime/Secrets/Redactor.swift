import Foundation
import SimotelKit
import SimshLanguage

/// Masks secrets in a command line before it is stored or shown (history, traces, reports), and
/// finds a mask standing where a secret goes so that it is never sent as if it were one.
///
/// Secret values are: what follows `--password`, `--api-key`, `--secret`, `--token` (also
/// `--opt=value`); the value of `key=value` and `key:=JSON` when the key is a secret name
/// (`SecretNames`); secret-named keys inside JSON objects on the line (a whole JSON word or a
/// `key:=JSON` value); `key=value` lines inside another value (a trunk's `more_options`); `set`
/// of a secret-looking variable (`set NAME VALUE`, `set NAME = EXPRESSION`, `set NAME=VALUE`);
/// the credential of an `-H 'Name: value'` header (`Authorization`, `X-APIKEY`, …: see
/// `SecretNames.isSecretHeader`); and the password in `user:pass@host`.
///
/// History, traces and reports take `redact`'s masked line; a recording (`Recorder`) takes the
/// same findings (`scan`, `secretSet`) and writes each secret as a variable instead: one reading
/// of where secrets stand, two ways of hiding them.
public enum Redactor {
    public static let mask = "****"
    static let secretOptions: Set<String> = ["--password", "--api-key", "--apikey", "--secret", "--token"]
    /// Options whose value is an HTTP header, `Name: value`.
    static let headerOptions: Set<String> = ["-H", "--header"]

    /// What one word becomes, and the secret values found in it.
    struct Finding {
        var replacement: String
        var secrets: [String]
        /// What the secret is where it stands when neither an option nor a `key=` names it (a URL's
        /// `password`, a header's name): for messages and a recording's variable.
        var name: String? = nil
    }

    /// `set NAME VALUE…`, `set NAME = EXPRESSION` or `set NAME=VALUE` with a secret-looking NAME.
    struct SecretSet {
        var name: String
        /// The words of the value (for `set NAME=VALUE`, the one word holding name and value).
        var words: Range<Int>
        /// `set NAME=VALUE`: the value shares the name's word.
        var inline: Bool
    }

    public static func redact(_ line: String) -> String {
        guard let commands = try? Lexer.parse(line, file: "-") else { return fallback(line) }
        let chars = Array(line)
        var replacements: [(Range<Int>, String)] = []
        for command in commands {
            let words = command.words
            let texts = words.map(\.literalText)
            let assignment = secretSet(texts)
            if let assignment {
                if assignment.inline {
                    replacements.append((words[1].sourceRange, assignment.name + "=" + mask))
                } else {
                    let start = words[assignment.words.lowerBound].sourceRange.lowerBound
                    replacements.append((start..<words.last!.sourceRange.upperBound, mask))
                }
            }
            for (i, finding) in scan(texts) where assignment?.words.contains(i) != true {
                replacements.append((words[i].sourceRange, finding.replacement))
            }
            for (i, word) in words.enumerated() where texts[i] == nil && assignment?.words.contains(i) != true {
                let afterOption = i > 0 && texts[i - 1].map(secretOptions.contains) == true
                if let masked = maskedMixedWord(word, afterSecretOption: afterOption) {
                    replacements.append((word.sourceRange, masked))
                }
            }
        }
        return replacing(chars, replacements)
    }

    /// The text with character ranges replaced (in order; a range overlapping an earlier one is skipped).
    static func replacing(_ chars: [Character], _ replacements: [(Range<Int>, String)]) -> String {
        var result = ""
        var cursor = 0
        for (range, text) in replacements.sorted(by: { $0.0.lowerBound < $1.0.lowerBound })
        where range.lowerBound >= cursor {
            result += String(chars[cursor..<range.lowerBound]) + text
            cursor = range.upperBound
        }
        result += String(chars[cursor...])
        return result
    }

    /// The name of the first secret in a command's words that holds a mask (`****`) instead of a
    /// secret, or nil. Such a command must not run: the mask would be sent as the secret.
    public static func maskedSecret(in words: [String]) -> String? {
        // Every command passes here: most hold no `*` at all, and then no mask.
        guard words.contains(where: { $0.utf8.contains(UInt8(ascii: "*")) }) else { return nil }
        let texts = words.map(Optional.some)
        if let assignment = secretSet(texts) {
            if assignment.inline {
                let word = words[1]
                if let eq = word.firstIndex(of: "="), SecretNames.isMask(word[word.index(after: eq)...]) {
                    return assignment.name
                }
            } else if words[assignment.words].contains(where: SecretNames.isMask) {
                return assignment.name
            }
        }
        for (i, finding) in scan(texts).sorted(by: { $0.key < $1.key })
        where finding.secrets.contains(where: SecretNames.isMask) {
            if let name = finding.name { return name }
            let word = words[i]
            if let eq = word.firstIndex(of: "="), !word.hasPrefix("{"), !word.hasPrefix("[") {
                return String(word[..<eq]).replacingOccurrences(of: ":", with: "")
            }
            return i > 0 && secretOptions.contains(words[i - 1]) ? words[i - 1] : "secret"
        }
        return nil
    }

    /// True for variable names that look like they hold secrets.
    public static func isSecretName(_ name: String) -> Bool { SecretNames.isSecretVariable(name) }

    /// A `set` of a secret-looking variable, or nil. The value's words leave out the `=` of
    /// `set NAME = EXPRESSION` (it is syntax, not the secret).
    static func secretSet(_ texts: [String?]) -> SecretSet? {
        guard texts.count >= 2, texts[0] == "set", let first = texts[1] else { return nil }
        if texts.count == 2 {
            guard let eq = first.firstIndex(of: "=") else { return nil }
            let name = String(first[..<eq])
            return isSecretName(name) ? SecretSet(name: name, words: 1..<2, inline: true) : nil
        }
        guard isSecretName(first) else { return nil }
        let start = texts[2] == "=" && texts.count > 3 ? 3 : 2
        return SecretSet(name: first, words: start..<texts.count, inline: false)
    }

    /// The words (by index) that hold secrets, with what to show instead. Words with variables
    /// (nil) are left as written: their text is a `$NAME`, not a secret.
    static func scan(_ texts: [String?]) -> [Int: Finding] {
        var found: [Int: Finding] = [:]
        for (i, t) in texts.enumerated() {
            guard let text = t else { continue }
            if i > 0, let previous = texts[i - 1], secretOptions.contains(previous) {
                found[i] = Finding(replacement: mask, secrets: [text])
            } else if i > 0, let previous = texts[i - 1], headerOptions.contains(previous) {
                if let finding = header(text) { found[i] = finding }
            } else if text.hasPrefix("-") {
                if let eq = text.firstIndex(of: "="), secretOptions.contains(String(text[..<eq])) {
                    found[i] = Finding(
                        replacement: String(text[...eq]) + mask, secrets: [String(text[text.index(after: eq)...])])
                }
            } else if text.hasPrefix("{") || text.hasPrefix("[") {
                if let json = try? JSONValue.parse(text) {
                    if let (clean, secrets) = redactJSON(json) {
                        found[i] = Finding(replacement: quoted(clean.serialized()), secrets: secrets)
                    }
                } else if case let loose = fallback(text), loose != text {
                    // Not JSON (yet): mask what looks like a secret key's value all the same.
                    found[i] = Finding(replacement: quoted(loose), secrets: [])
                }
            } else if hasScheme(text) {
                // Before `key=value`: a URL's query holds `=` (`https://u:pw@h/?x=1`).
                found[i] = url(text)
            } else if let eq = text.firstIndex(of: "=") {
                found[i] = field(text, eq)
            }
        }
        return found
    }

    /// `key=value` or `key:=JSON`.
    static func field(_ text: String, _ eq: String.Index) -> Finding? {
        var key = text[..<eq]
        let value = String(text[text.index(after: eq)...])
        let raw = key.hasSuffix(":")
        if raw { key = key.dropLast() }
        let head = String(key) + (raw ? ":=" : "=")
        if SecretNames.isSecretKey(key) {
            var secret = value
            if raw, case .string(let s)? = try? JSONValue.parse(value) { secret = s }
            return Finding(replacement: head + mask, secrets: [secret])
        }
        if raw, let json = try? JSONValue.parse(value), let (clean, secrets) = redactJSON(json) {
            return Finding(replacement: head + quoted(clean.serialized()), secrets: secrets)
        }
        if value.contains("="), let (clean, secrets) = redactEmbedded(value) {
            return Finding(replacement: head + quoted(clean), secrets: secrets)
        }
        if hasScheme(value), let finding = url(value) {
            return Finding(
                replacement: head + quoted(finding.replacement), secrets: finding.secrets, name: finding.name)
        }
        return nil
    }

    /// A URL with its `user:pass@` password and the values of its secret-named query parameters
    /// (`?token=…`, `&api_key=…`) masked; nil when it holds none.
    static func url(_ text: String) -> Finding? {
        var out = text
        var secrets: [String] = []
        var name: String?
        if let (masked, password) = maskURLPassword(text) {
            out = masked
            secrets.append(password)
            name = "password"
        }
        if let question = out.firstIndex(of: "?") {
            let afterQuery = out[out.index(after: question)...]
            let query = afterQuery.prefix { $0 != "#" }
            let fragment = afterQuery.dropFirst(query.count)
            let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter in
                guard let eq = parameter.firstIndex(of: "="), SecretNames.isSecretKey(parameter[..<eq]) else {
                    return String(parameter)
                }
                let value = String(parameter[parameter.index(after: eq)...])
                guard !value.isEmpty else { return String(parameter) }
                secrets.append(value)
                if let decoded = value.removingPercentEncoding, decoded != value { secrets.append(decoded) }
                name = name ?? String(parameter[..<eq])
                return String(parameter[...eq]) + mask
            }
            out = String(out[...question]) + parameters.joined(separator: "&") + fragment
        }
        return secrets.isEmpty ? nil : Finding(replacement: out, secrets: secrets, name: name)
    }

    /// A word with variables (`"https://admin:pw@$HOST"`): its literal parts scanned as words of
    /// their own, the word written again in double quotes with each part holding a secret masked
    /// and each variable kept as `${NAME}`; nil when no part holds one. After a secret option
    /// (`--password "pw$X"`) the whole word is the secret.
    static func maskedMixedWord(_ word: Word, afterSecretOption: Bool) -> String? {
        if afterSecretOption {
            let holdsText = word.parts.contains { if case .literal(let t) = $0 { !t.isEmpty } else { false } }
            return holdsText ? mask : nil
        }
        var changed = false
        var out = ""
        for part in word.parts {
            switch part {
            case .literal(let text):
                if let finding = scan([text])[0] {
                    out += Recorder.doubleQuotedBody(finding.replacement)
                    changed = true
                } else {
                    out += Recorder.doubleQuotedBody(text)
                }
            case .variable(let name):
                out += "${\(name)}"
            }
        }
        return changed ? "\"" + out + "\"" : nil
    }

    /// The JSON with every secret-named key's value masked, and those values; nil when none.
    static func redactJSON(_ value: JSONValue) -> (JSONValue, [String])? {
        var secrets: [String] = []
        func walk(_ v: JSONValue) -> JSONValue {
            switch v {
            case .object(let pairs):
                return .object(
                    pairs.map { key, inner in
                        if SecretNames.isSecretKey(key), !inner.isContainer {
                            secrets.append(inner.displayText)
                            return (key, .string(mask))
                        }
                        return (key, walk(inner))
                    })
            case .array(let items): return .array(items.map(walk))
            default: return v
            }
        }
        let clean = walk(value)
        return secrets.isEmpty ? nil : (clean, secrets)
    }

    /// `fromuser=1\nsecret=abc` (a trunk's `more_options`): the secret lines masked.
    static let embeddedPattern = try? NSRegularExpression(
        pattern: #"(?i)\b([a-z_]*(?:password|passwd|secret|token|api_?key)|pass)=([^\s&;]+)"#)

    static func redactEmbedded(_ value: String) -> (String, [String])? {
        guard let re = embeddedPattern else { return nil }
        var secrets: [String] = []
        let ns = value as NSString
        for m in re.matches(in: value, range: NSRange(location: 0, length: ns.length)) {
            secrets.append(ns.substring(with: m.range(at: 2)))
        }
        guard !secrets.isEmpty else { return nil }
        let clean = re.stringByReplacingMatches(
            in: value, range: NSRange(location: 0, length: ns.length), withTemplate: "$1=\(mask)")
        return (clean, secrets)
    }

    /// A word as the lexer reads it back: single-quoted when it holds anything special.
    static func quoted(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@%+*".contains($0) }
        if plain && !text.isEmpty { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Whether the text holds `://` (byte search: Foundation's `contains` costs far more).
    static func hasScheme(_ text: String) -> Bool {
        var colon = false
        var slashes = 0
        for b in text.utf8 {
            if colon && b == UInt8(ascii: "/") {
                slashes += 1
                if slashes == 2 { return true }
            } else {
                colon = b == UInt8(ascii: ":")
                slashes = 0
            }
        }
        return false
    }

    /// A URL's `user:pass@` with the password masked, and the password (nil when it has none).
    static func maskURLPassword(_ text: String) -> (masked: String, password: String)? {
        guard let scheme = text.range(of: "://") else { return nil }
        let rest = text[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return nil
        }
        let password = String(text[text.index(after: colon)..<at])
        guard !password.isEmpty else { return nil }
        return (String(text[..<text.index(after: colon)]) + mask + String(text[at...]), password)
    }

    /// `Name: value` after `-H`: a credential header's secret masked, its scheme kept
    /// (`Authorization: Bearer ****`, `X-APIKEY: ****`); nil for other headers.
    static func header(_ text: String) -> Finding? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...]
        guard let credential = SecretNames.headerCredential(name: name, value: value) else { return nil }
        let scheme = SecretNames.headerScheme(name: name, value: value)
        return Finding(replacement: quoted("\(name): \(scheme)\(mask)"), secrets: [credential], name: name)
    }

    /// For lines that do not lex (an open quote): mask whatever follows a secret option or name.
    package static func fallback(_ line: String) -> String {
        var s = line
        func replace(_ pattern: String, _ template: String) {
            guard let re = try? NSRegularExpression(pattern: pattern) else { return }
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        replace(#"(--(?:password|api-key|apikey|secret|token))(=|\s+)(\S+)"#, "$1$2\(mask)")
        replace(#"(?i)\b([a-z_.]*(?:password|passwd|secret|token|api_?key)|pass)(:?=)(\S+)"#, "$1$2\(mask)")
        replace(
            #"(?i)("[a-z_]*(?:password|passwd|secret|token|api_?key)"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s]+)"#,
            "$1\"\(mask)\"")
        replace(#"(://[^/\s:@]*:)[^@\s/]*@"#, "$1\(mask)@")
        // A credential header (`-H 'Authorization: Bearer abc`): its scheme kept.
        let scheme = #"\b(?:proxy-)?authorization\s*:\s*(?:[a-z]+\s+)?"#
        replace(#"(?i)("# + scheme + #"|\b[a-z_-]*(?:api-?key|token|secret)\s*:\s*)[^\s'"=]+"#, "$1\(mask)")
        replace(#"(?i)^(\s*set\s+\S*(?:password|passwd|secret|token|api_?key)\S*\s+).*$"#, "$1\(mask)")
        return s
    }
}

extension JSONValue {
    var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }
}
