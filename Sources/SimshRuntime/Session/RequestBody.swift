import SimotelKit
import SimshLanguage

/// Builds a JSON request body from what a user types: one JSON text, or `field=value` words
/// (strings), `field:=JSON` (raw JSON values), with dotted names for nesting
/// (`forward_policy.Busy=571`, `pagination.start:=0`).
public enum RequestBody {
    public static func build(_ words: [String]) throws -> JSONValue {
        if words.count == 1, let first = words.first?.first, first == "{" || first == "[" {
            do {
                return try JSONValue.parse(words[0])
            } catch let e as JSONParseError {
                throw SimshError.usage("the body is not valid JSON: \(e.reason) at offset \(e.offset)")
            }
        }
        var body = JSONValue.object([])
        for word in words {
            let value: JSONValue
            let name: String
            if let r = word.range(of: ":="), !word[..<r.lowerBound].contains("=") {
                name = String(word[..<r.lowerBound])
                let text = String(word[r.upperBound...])
                do {
                    value = try JSONValue.parse(text)
                } catch {
                    throw SimshError.usage("\(name):= wants a JSON value, not '\(text)'")
                }
            } else if let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                value = .string(String(word[word.index(after: eq)...]))
            } else {
                throw SimshError.usage("'\(word)' is not field=value, field:=JSON or a JSON body")
            }
            guard !name.isEmpty, !name.split(separator: ".", omittingEmptySubsequences: false).contains("") else {
                throw SimshError.usage("invalid field name in '\(word)'")
            }
            body = body.setting(path: name.split(separator: ".").map(String.init), to: value)
        }
        return body
    }
}
