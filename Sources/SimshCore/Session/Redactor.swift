import Foundation
import SimotelKit

/// Masks secrets in a command line before it is stored or shown: the values of
/// `--password`, `--api-key`, `--secret` (also `--opt=value`), `password=`/`secret=`/`api_key=`/
/// `token=` fields, `set` of a secret-looking variable, and the password in `user:pass@host`.
public enum Redactor {
    public static let mask = "****"
    static let secretOptions: Set<String> = ["--password", "--api-key", "--apikey", "--secret", "--token"]
    static let secretFields: Set<String> = ["password", "secret", "api_key", "apikey", "token", "pass"]

    public static func redact(_ line: String) -> String {
        guard let commands = try? Lexer.parse(line, file: "-") else { return fallback(line) }
        let chars = Array(line)
        var replacements: [(Range<Int>, String)] = []
        for command in commands {
            let texts = command.words.map { $0.literalText ?? "" }
            for (i, word) in command.words.enumerated() {
                let text = texts[i]
                if secretOptions.contains(text), i + 1 < command.words.count {
                    replacements.append((command.words[i + 1].sourceRange, mask))
                } else if let eq = text.firstIndex(of: "="), text.hasPrefix("-"),
                    secretOptions.contains(String(text[..<eq]))
                {
                    replacements.append((word.sourceRange, String(text[...eq]) + mask))
                } else if let eq = text.firstIndex(of: "="), !text.hasPrefix("-"),
                    secretFields.contains(String(text[..<eq]).lowercased())
                {
                    replacements.append((word.sourceRange, String(text[...eq]) + mask))
                } else if text.contains("://"), let masked = maskURLPassword(text) {
                    replacements.append((word.sourceRange, masked))
                }
            }
            if texts.first == "set", texts.count >= 3, isSecretName(texts[1]) {
                replacements.append(
                    (command.words[2].sourceRange.lowerBound..<command.words.last!.sourceRange.upperBound, mask))
            }
        }
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

    /// True for variable names that look like they hold secrets.
    public static func isSecretName(_ name: String) -> Bool {
        let n = name.lowercased()
        return ["password", "passwd", "secret", "api_key", "apikey", "token"].contains { n.contains($0) }
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

    /// For lines that do not lex (an open quote): mask whatever follows a secret option.
    static func fallback(_ line: String) -> String {
        var s = line
        let pattern = #"(--(?:password|api-key|apikey|secret|token))(=|\s+)(\S+)"#
        if let re = try? NSRegularExpression(pattern: pattern) {
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "$1$2\(mask)")
        }
        let fields = #"\b((?:password|secret|api_key|apikey|token|pass)=)(\S+)"#
        if let re = try? NSRegularExpression(pattern: fields, options: [.caseInsensitive]) {
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "$1\(mask)")
        }
        if let re = try? NSRegularExpression(pattern: #"(://[^/\s:@]*:)[^@\s/]*@"#) {
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "$1\(mask)@")
        }
        return s
    }
}
