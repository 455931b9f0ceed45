import Foundation
import NIOConcurrencyHelpers
import SimotelKit

/// The secret values a session knows (connection passwords and API keys with their Basic-auth
/// Base64 form, `--secret` values, `secret NAME`): masked as `****` in everything simsh writes
/// (output, errors, traces, history, reports), also in the forms they take on the way (inside
/// JSON text, percent-encoded in a URL). A secret of `minimumForSubstring` characters or more is
/// masked wherever it appears (`x$PW` too); a shorter one only as a whole value, so that text
/// which merely contains it is not mangled.
public final class SecretValues: Sendable {
    private let valuesStorage = NIOLockedValueBox<[String]>([])

    public init() {}

    public static let minimumForSubstring = 6

    /// Adds a value and its encoded forms (empty values and masks are not secrets).
    public func add(_ value: String?) {
        guard let value, !value.isEmpty, !SecretNames.isMask(value) else { return }
        var forms = [value]
        // As JSON text holds it (`"` and `\` escaped), and as JSON text inside JSON text holds it
        // (`--output json` wraps a line that is itself JSON: `\\\"`); each also with `/` as `\/`
        // and non-ASCII as `\uXXXX`, as other JSON writers put it (PHP, Python).
        var escaped = value
        for _ in 0..<2 {
            escaped = Self.jsonBody(escaped)
            forms.append(escaped)
            if escaped.contains("/") { forms.append(escaped.replacingOccurrences(of: "/", with: "\\/")) }
        }
        if !value.allSatisfy(\.isASCII) {
            let ascii = Self.asciiJSONBody(value)
            forms.append(ascii)
            if ascii.contains("/") { forms.append(ascii.replacingOccurrences(of: "/", with: "\\/")) }
        }
        if let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.append(encoded) }
        if let decoded = value.removingPercentEncoding { forms.append(decoded) }
        valuesStorage.withLockedValue { values in
            for form in forms where !form.isEmpty && !values.contains(form) { values.append(form) }
            // Longest first: a secret that contains another is masked whole.
            values.sort { $0.count > $1.count }
        }
    }

    /// Adds what credentials authenticate with, the Basic header's Base64 form included.
    public func add(_ credentials: SimotelCredentials) {
        add(credentials.password)
        add(credentials.apiKey)
        for (name, value) in credentials.headers {
            add(name == "Authorization" ? String(value.dropFirst("Basic ".count)) : value)
        }
    }

    /// A string's JSON text without its quotes, as simsh writes it.
    static func jsonBody(_ text: String) -> String {
        String(JSONValue.string(text).serialized().dropFirst().dropLast())
    }

    /// A string's JSON text without its quotes, everything past ASCII as `\uXXXX` (lower-case hex,
    /// UTF-16), as Python's `json.dumps` and PHP's `json_encode` write it.
    static func asciiJSONBody(_ text: String) -> String {
        var out = ""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }

    public var isEmpty: Bool { valuesStorage.withLockedValue { $0.isEmpty } }

    /// The values, longest first.
    public var values: [String] { valuesStorage.withLockedValue { $0 } }

    /// The text with every whole occurrence of a known secret replaced by `****`.
    public func redact(_ text: String) -> String {
        let secrets = values
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result =
                secret.count >= Self.minimumForSubstring
                ? result.replacingOccurrences(of: secret, with: Redactor.mask) : Self.replaceWhole(secret, in: result)
        }
        return result
    }

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// Replaces occurrences of `secret` that are not part of a longer word.
    static func replaceWhole(_ secret: String, in text: String) -> String {
        var out = ""
        var cursor = text.startIndex
        var searchFrom = text.startIndex
        while let r = text.range(of: secret, range: searchFrom..<text.endIndex) {
            let before = r.lowerBound > text.startIndex ? text[text.index(before: r.lowerBound)] : nil
            let after = r.upperBound < text.endIndex ? text[r.upperBound] : nil
            let secretStartsWord = secret.first.map(isWordCharacter) ?? false
            let secretEndsWord = secret.last.map(isWordCharacter) ?? false
            let wholeStart = before.map { !(isWordCharacter($0) && secretStartsWord) } ?? true
            let wholeEnd = after.map { !(isWordCharacter($0) && secretEndsWord) } ?? true
            if wholeStart && wholeEnd {
                out += text[cursor..<r.lowerBound] + Redactor.mask
                cursor = r.upperBound
                searchFrom = r.upperBound
            } else {
                searchFrom = text.index(after: r.lowerBound)
            }
        }
        out += text[cursor...]
        return out
    }
}
