import Foundation
import SimotelKit
import SimshLanguage

/// How `Redactor` reads words: where a secret stands in each and what to show instead.
extension Redactor {
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
}

extension JSONValue {
    var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }
}
