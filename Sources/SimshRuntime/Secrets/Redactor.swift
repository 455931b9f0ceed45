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
