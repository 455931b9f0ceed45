import Foundation
import SimshCommands
import SimshLanguage
import SimshRuntime

/// The reports of `simsh test`: JUnit XML (one `testcase` per file, as Jenkins and GitLab read
/// it), TAP 13, and one self-contained HTML page. Cases' texts are already masked.
public enum CheckReports {
    /// Writes the reports asked for, each whole or not at all, each whatever became of the
    /// others; returns what could not be written.
    public static func write(
        _ cases: [CheckCase], milliseconds: Double, timestamp: Date, junit: String?, tap: String?,
        htmlDirectory: String?
    ) -> [SimshError] {
        var problems: [SimshError] = []
        func attempt(_ work: () throws -> Void) {
            do { try work() } catch { problems.append(SimshError.from(error, context: "report")) }
        }
        if let junit {
            attempt {
                try AtomicFile.write(
                    Self.junit(cases, milliseconds: milliseconds, timestamp: timestamp), to: junit, mode: 0o644)
            }
        }
        if let tap { attempt { try AtomicFile.write(Self.tap(cases), to: tap, mode: 0o644) } }
        if let dir = htmlDirectory {
            attempt {
                // Readable by others (a CI job publishes it), made under the symbolic-link rule:
                // no directory is created through a link another user planted.
                try AtomicFile.makeDirectory(dir, mode: 0o755)
                try AtomicFile.write(
                    html(cases, milliseconds: milliseconds, timestamp: timestamp), to: dir + "/index.html", mode: 0o644)
            }
        }
        return problems
    }

    // MARK: JUnit

    public static func junit(_ cases: [CheckCase], milliseconds: Double, timestamp: Date) -> String {
        let failures = cases.filter { !$0.passed && $0.status == 1 }.count
        let errors = cases.filter { !$0.passed && $0.status != 1 }.count
        let time = seconds(milliseconds)
        let iso = ISO8601DateFormatter().string(from: timestamp)
        var xml = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        xml.append(
            "<testsuites name=\"simsh test\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(time)\">"
        )
        xml.append(
            "  <testsuite name=\"simsh test\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\" time=\"\(time)\" timestamp=\"\(iso)\">"
        )
        for c in cases {
            let name = xmlEscape(c.file)
            let classname = xmlEscape(caseClass(c.file))
            let attributes =
                "name=\"\(name)\" classname=\"\(classname)\" file=\"\(name)\" time=\"\(seconds(c.milliseconds))\""
            if c.passed && c.output.isEmpty {
                xml.append("    <testcase \(attributes)/>")
                continue
            }
            xml.append("    <testcase \(attributes)>")
            if !c.passed {
                let element = c.status == 1 ? "failure" : "error"
                let first = c.failures.first
                let message = first.map(headline) ?? "exit status \(c.status)"
                let type = first.map { kindName($0.kind) } ?? "exit"
                let body = (c.failures.map(fullText) + (c.lastExchange.isEmpty ? [] : ["", c.lastExchange]))
                    .joined(separator: "\n")
                xml.append(
                    "      <\(element) message=\"\(xmlEscape(message))\" type=\"\(type)\">\(xmlEscape(body))</\(element)>"
                )
            }
            if !c.output.isEmpty { xml.append("      <system-out>\(xmlEscape(c.output))</system-out>") }
            if !c.errorOutput.isEmpty { xml.append("      <system-err>\(xmlEscape(c.errorOutput))</system-err>") }
            xml.append("    </testcase>")
        }
        xml.append("  </testsuite>")
        xml.append("</testsuites>")
        return xml.joined(separator: "\n") + "\n"
    }

    /// `checks/users` for `checks/users/add.simsh`: the directory, as CI tools group cases.
    static func caseClass(_ file: String) -> String {
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? "simsh" : dir.replacingOccurrences(of: "/", with: ".")
    }

    static func seconds(_ ms: Double) -> String { String(format: "%.3f", ms / 1000) }

    static func kindName(_ kind: SimshError.Kind) -> String {
        switch kind {
        case .expectation: return "expectation"
        case .usage: return "usage"
        case .transport: return "transport"
        case .api: return "api"
        }
    }

    /// `file:line:col: message`.
    static func headline(_ e: SimshError) -> String {
        (e.location.map { "\($0): " } ?? "") + e.message
    }

    /// The headline, then the line and its caret.
    static func fullText(_ e: SimshError) -> String {
        var e = e
        e.labeled = false
        return DiagnosticRenderer(color: false).render(e)
    }

    /// Text as XML or HTML character data or an attribute value, escaped per Unicode scalar;
    /// characters XML 1.0 cannot hold are dropped.
    static func xmlEscape(_ text: String) -> String { Markup.escape(text) }

    // MARK: TAP

    public static func tap(_ cases: [CheckCase]) -> String {
        var lines = ["TAP version 13", "1..\(cases.count)"]
        for (i, c) in cases.enumerated() {
            lines.append("\(c.passed ? "ok" : "not ok") \(i + 1) - \(tapText(c.file))")
            guard !c.passed else { continue }
            lines.append("  ---")
            let first = c.failures.first
            lines.append("  message: \(yamlString(first?.message ?? "exit status \(c.status)"))")
            lines.append("  severity: \(c.status == 1 ? "fail" : "error")")
            lines.append("  exit_status: \(c.status)")
            if let at = first?.location {
                lines += [
                    "  at:", "    file: \(yamlString(at.file))", "    line: \(at.line)", "    column: \(at.column)",
                ]
            }
            lines.append("  duration_ms: \(String(format: "%.1f", c.milliseconds))")
            lines.append("  ...")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A test line's description: one line, no `#` (which starts a TAP directive). Every scalar
    /// a reader may take for the end of a line (CR, NEL, LS, PS, …) is written as an escape.
    static func tapText(_ s: String) -> String {
        escaped(s) { scalar in
            switch scalar {
            case "#": return "\\#"
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return " "
            default: return isLineBreaking(scalar) ? String(format: "\\u%04X", scalar.value) : nil
            }
        }
    }

    /// A YAML double-quoted string (TAP's diagnostics), line breaks of every kind escaped.
    static func yamlString(_ s: String) -> String {
        let body = escaped(s) { scalar in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\t": return "\\t"
            default:
                guard isLineBreaking(scalar) else { return nil }
                return String(format: scalar.value <= 0xFF ? "\\x%02X" : "\\u%04X", scalar.value)
            }
        }
        return "\"" + body + "\""
    }

    /// The text scalar by scalar, each written as `replacement` says (nil: as it is).
    static func escaped(_ s: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if let r = replacement(scalar) { out.append(contentsOf: r.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// Control characters and the Unicode line and paragraph separators.
    static func isLineBreaking(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    // MARK: HTML

    /// One page, no scripts and nothing fetched: per file its status and duration; for a failed
    /// file each failure with its line in the source's context and the last request and answer.
    public static func html(_ cases: [CheckCase], milliseconds: Double, timestamp: Date) -> String {
        let passed = cases.filter(\.passed).count
        var h: [String] = [
            "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
            // Nothing but the inline style runs or loads, whatever a text smuggled past the escaping.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            "<title>simsh test report</title>",
            "<style>",
            "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}",
            "td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}",
            ".pass{color:#17692f}.fail{color:#b3261e;font-weight:bold}",
            "pre{background:#f6f6f6;padding:.6em;overflow-x:auto}.hit{background:#ffe0e0}",
            "</style>", "</head>", "<body>",
            "<h1>simsh test report</h1>",
            "<p id=\"summary\">\(cases.count) files, \(passed) passed, \(cases.count - passed) failed, "
                + "\(String(format: "%.0f", milliseconds)) ms — \(htmlEscape(ISO8601DateFormatter().string(from: timestamp)))</p>",
            "<table id=\"cases\">", "<tr><th>File</th><th>Result</th><th>Duration</th></tr>",
        ]
        for (i, c) in cases.enumerated() {
            let result = c.passed ? "<span class=\"pass\">SUCCESS</span>" : "<span class=\"fail\">FAILURE</span>"
            let name = c.passed ? htmlEscape(c.file) : "<a href=\"#case-\(i + 1)\">\(htmlEscape(c.file))</a>"
            h.append(
                "<tr class=\"case\"><td>\(name)</td><td>\(result)</td><td>\(String(format: "%.0f", c.milliseconds)) ms</td></tr>"
            )
        }
        h.append("</table>")
        for (i, c) in cases.enumerated() where !c.passed {
            h.append("<h2 id=\"case-\(i + 1)\">\(htmlEscape(c.file))</h2>")
            if c.failures.isEmpty { h.append("<p>exit status \(c.status)</p>") }
            for failure in c.failures {
                h.append("<p class=\"failure\">\(htmlEscape(headline(failure)))</p>")
                if let at = failure.location, at.file == c.file {
                    h.append("<pre class=\"source\">" + context(c.source, line: at.line) + "</pre>")
                }
            }
            if !c.lastExchange.isEmpty {
                h.append("<p>Last request and answer:</p>")
                h.append("<pre class=\"trace\">\(htmlEscape(c.lastExchange))</pre>")
            }
        }
        h += ["</body>", "</html>"]
        return h.joined(separator: "\n") + "\n"
    }

    /// Three lines either side of `line`, numbered, the line itself marked.
    static func context(_ source: String, line: Int) -> String {
        // Split on the byte: "\r\n" is one Character, and a line ending in it would not split.
        let lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard line >= 1, line <= lines.count else { return "" }
        let range = max(1, line - 3)...min(lines.count, line + 3)
        return range.map { n in
            let text = htmlEscape(lines[n - 1])
            let numbered = String(format: "%4d  ", n) + text
            return n == line ? "<span class=\"hit\">\(numbered)</span>" : numbered
        }.joined(separator: "\n")
    }

    /// Text inside the page: escaped scalar by scalar, as XML is (comparing `Character`s would
    /// miss a `<` that a prepended mark or a joiner folds into one grapheme cluster).
    static func htmlEscape(_ text: String) -> String { xmlEscape(text) }
}
