import Foundation
import Testing

@testable import SimshChecks
@testable import SimshLanguage
@testable import SimshRuntime

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Issue 21, point 3: reports escape markup per Unicode scalar. A prepended mark before `<`
/// (U+0600) or a joiner after `>` (U+200D) makes one grapheme cluster with the bracket; compared
/// as `Character`s, the bracket was written raw.
@Suite struct ReportEscapingTests {
    static let payloads = [
        "\u{0600}<img src=x onerror=alert(1)>",
        "<script>\u{200D}alert(2)</script>\u{200D}",
        "a\u{0301}<img src=y onerror=alert(3)>\u{0301}",
        "\u{200D}<svg onload=alert(4)>",
    ]

    static func cases() -> [CheckCase] {
        payloads.enumerated().map { i, payload in
            let file = "checks/\(payload)\(i).simsh"
            return CheckCase(
                file: file, status: 1, milliseconds: 1,
                failures: [
                    SimshError(
                        .expectation, "expect failed: \(payload)", at: SourceLocation(file: file, line: 1, column: 1))
                ],
                output: payload, errorOutput: "", lastExchange: "GET /api/v4/x\n200 {\"name\": \"\(payload)\"}",
                source: "expect $response.name == \"\(payload)\"\n")
        }
    }

    /// The names of every element the page opens.
    static func elements(_ html: String) -> Set<String> {
        var names = Set<String>()
        let scalars = Array(html.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "<", i + 1 < scalars.count, scalars[i + 1].properties.isAlphabetic {
                var name = ""
                var j = i + 1
                while j < scalars.count, scalars[j].properties.isAlphabetic || ("0"..."9").contains(scalars[j]) {
                    name.unicodeScalars.append(scalars[j])
                    j += 1
                }
                names.insert(name.lowercased())
                i = j
            } else {
                i += 1
            }
        }
        return names
    }

    @Test func noPayloadBecomesAnElementOfThePage() {
        let html = CheckReports.html(Self.cases(), milliseconds: 5, timestamp: Date())
        let elements = Self.elements(html)
        #expect(
            elements.isSubset(of: [
                "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "table", "tr", "th", "td", "a",
                "span", "pre",
            ]), "\(elements)")
        #expect(!html.contains("<img") && !html.contains("<script") && !html.contains("<svg"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("default-src 'none'; style-src 'unsafe-inline'"))
    }

    @Test func junitHasNoPayloadElementAndParses() throws {
        let xml = CheckReports.junit(Self.cases(), milliseconds: 5, timestamp: Date())
        #expect(
            Self.elements(xml).isSubset(of: [
                "testsuites", "testsuite", "testcase", "failure", "error", "system", "xml",
            ]))
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }

    /// A recording's double-quoted words: a quote that a combining mark follows is still escaped.
    @Test func recordedQuotesAreEscapedPerScalar() throws {
        let body = Recorder.doubleQuotedBody("\"\u{0301}; echo injected $HOME `id`")
        #expect(body == "\\\"\u{0301}; echo injected \\$HOME \\`id\\`")
        let words = try Lexer.parse("echo \"\(body)\"", file: "-")
        #expect(words.count == 1)
    }

    @Test func tapKeepsItsLineStructure() {
        var cases = Self.cases()
        for (i, separator) in ["\r", "\u{2028}", "\u{0085}", "\u{2029}", "\n", "\u{000B}"].enumerated() {
            let passed = i % 2 == 0
            cases.append(
                CheckCase(
                    file: "checks/a\(separator)ok 99 - forged\(separator)#\(i).simsh", status: passed ? 0 : 2,
                    milliseconds: 1, failures: passed ? [] : [SimshError(.usage, "bad\(separator)not ok 98")],
                    output: "",
                    errorOutput: "", lastExchange: "", source: ""))
        }
        let tap = CheckReports.tap(cases)
        // Split as a TAP reader might: on every line-breaking scalar.
        let lines = tap.unicodeScalars.split { [0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029].contains($0.value) }
            .map { String(String.UnicodeScalarView($0)) }
        #expect(lines.first == "TAP version 13")
        #expect(lines.dropFirst().first == "1..\(cases.count)")
        let tests = lines.filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        #expect(tests.count == cases.count, "\(tests)")
        #expect(!lines.contains { $0.hasPrefix("ok 99") || $0.hasPrefix("not ok 98") || $0.hasPrefix("  not ok 98") })
        #expect(tests.allSatisfy { !$0.contains("#") || $0.contains("\\#") })
    }
}
