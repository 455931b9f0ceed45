import Foundation
import SimotelKit

/// Masks secrets in a command line before it is stored or shown (history, traces, reports), and
/// finds a mask standing where a secret goes so that it is never sent as if it were one.
///
/// Secret values are: what follows `--password`, `--api-key`, `--secret`, `--token` (also
/// `--opt=value`); the value of `key=value` and `key:=JSON` when the key is a secret name
/// (`SecretNames`); secret-named keys inside JSON objects on the line (a whole JSON word or a
/// `key:=JSON` value); `key=value` lines inside another value (a trunk's `more_options`); `set`
/// of a secret-looking variable; and the password in `user:pass@host`.
public enum Redactor {
    public static let mask = "****"
    static let secretOptions: Set<String> = ["--password", "--api-key", "--apikey", "--secret", "--token"]

    /// What one word becomes, and the secret values found in it.
    struct Finding {
        var replacement: String
        var secrets: [String]
    }

    public static func redact(_ line: String) -> String {
        guard let commands = try? Lexer.parse(line, file: "-") else { return fallback(line) }
        let chars = Array(line)
        var replacements: [(Range<Int>, String)] = []
        for command in commands {
            let words = command.words
            let span = setValueSpan(words.map(\.literalText))
            if let span {
                replacements.append(
                    (words[span.lowerBound].sourceRange.lowerBound..<words.last!.sourceRange.upperBound, mask))
            }
            for (i, finding) in scan(words.map(\.literalText)) where span?.contains(i) != true {
                replacements.append((words[i].sourceRange, finding.replacement))
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
        if let span = setValueSpan(texts), words[span].contains(where: SecretNames.isMask) { return words[1] }
        for (i, finding) in scan(texts).sorted(by: { $0.key < $1.key })
        where finding.secrets.contains(where: SecretNames.isMask) {
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

    /// For `set NAME VALUE…` with a secret-looking NAME: the words of the value.
    static func setValueSpan(_ texts: [String?]) -> Range<Int>? {
        guard texts.count >= 3, texts[0] == "set", let name = texts[1], isSecretName(name) else { return nil }
        return 2..<texts.count
    }

    /// The words (by index) that hold secrets, with what to show instead. Words with variables
    /// (nil) are left as written: their text is a `$NAME`, not a secret.
    static func scan(_ texts: [String?]) -> [Int: Finding] {
        var found: [Int: Finding] = [:]
        for (i, t) in texts.enumerated() {
            guard let text = t else { continue }
            if i > 0, let previous = texts[i - 1], secretOptions.contains(previous) {
                found[i] = Finding(replacement: mask, secrets: [text])
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
            } else if let eq = text.firstIndex(of: "=") {
                found[i] = field(text, eq)
            } else if hasScheme(text), let masked = maskURLPassword(text) {
                found[i] = Finding(replacement: masked, secrets: [])
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
        if hasScheme(value), let masked = maskURLPassword(value) {
            return Finding(replacement: head + quoted(masked), secrets: [])
        }
        return nil
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

    static func maskURLPassword(_ text: String) -> String? {
        guard let scheme = text.range(of: "://") else { return nil }
        let rest = text[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return nil
        }
        return String(text[..<text.index(after: colon)]) + mask + String(text[at...])
    }

    /// For lines that do not lex (an open quote): mask whatever follows a secret option or name.
    static func fallback(_ line: String) -> String {
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
