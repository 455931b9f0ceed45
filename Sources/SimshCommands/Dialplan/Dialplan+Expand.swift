import Foundation
import SimshLanguage

extension Dialplan {
    /// The dialplan's text with each `${NAME}` replaced by `lookup(NAME)` (the session's
    /// variables, then the environment), outside comment lines; an unknown or malformed name is
    /// a usage error naming it and its line.
    static func expand(_ text: String, file: String, lookup: (String) -> String?) throws -> String {
        guard text.contains("${") else { return text }
        var lines: [String] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("#") || !line.contains("${") {
                lines.append(String(line))
                continue
            }
            lines.append(try expandLine(line, at: "\(file):\(n + 1)", lookup: lookup))
        }
        return lines.joined(separator: "\n")
    }

    /// One line's `${NAME}`s replaced; `place` (`file:line`) names it in errors.
    static func expandLine(_ line: Substring, at place: String, lookup: (String) -> String?) throws -> String {
        var out = ""
        var rest = line[...]
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else {
                throw SimshError.usage("\(place): '${' without its '}'")
            }
            let name = String(after[..<close])
            guard VariableName.isValid(name) || (!name.isEmpty && name.allSatisfy(\.isNumber)) else {
                throw SimshError.usage("\(place): '${\(name)}' is not a variable name")
            }
            guard let value = lookup(name) else {
                let why =
                    name.hasPrefix("listener.")
                    ? "no listener is running (listen events starts one)"
                    : "no variable or environment variable \(name)"
                throw SimshError.usage("\(place): ${\(name)} is not set (\(why))")
            }
            out += value
            rest = after[after.index(after: close)...]
        }
        out += rest
        return out
    }
}
