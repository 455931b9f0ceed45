import Foundation
import HTTPServerKit
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 21, points 3 and 11: hostile text that reaches the reports the way it would in CI — in
/// an API server's answer, a webhook's field, a file's name — read back by parsers that are not
/// simsh's (Python's html.parser, Perl's TAP::Parser).
extension SpawningTests.SafetyGapsTests {
    static let image = "<img src=x onerror=alert(1)>"
    static let script = "<script>alert(1)</script>"

    /// Perl's TAP::Parser (Debian: perl-modules), which reads the TAP report.
    static let hasTAPParser: Bool = {
        guard let perl = try? ChildProcess("perl", ["-MTAP::Parser", "-e1"]) else { return false }
        perl.closeStdin()
        return perl.wait(timeout: 30) == 0
    }()

    /// Python's html.parser over a page: the start tags it found and its text, as JSON.
    static let pageParser = """
        json, sys = __import__("json"), __import__("sys")
        from html.parser import HTMLParser
        class Page(HTMLParser):
            def __init__(self):
                super().__init__()
                self.tags, self.text = [], []
            def handle_starttag(self, tag, attrs):
                self.tags.append(tag)
            def handle_data(self, data):
                self.text.append(data)
        page = Page()
        with open(sys.argv[1], encoding="utf-8") as f:
            page.feed(f.read())
        page.close()
        print(json.dumps({"tags": sorted(set(page.tags)), "text": "".join(page.text)}))
        """

    /// Checks that fail on hostile text from a server's answer (`$response.message`,
    /// `$response.data.note`) and from a webhook's fields (given as `--var`s, so that the source
    /// lines shown in the page do not hold it).
    static func hostileChecks(in home: TempDir) throws -> String {
        let dir = home.file("checks")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let files = [
            "api-message.simsh": "ping\nexpect $response.message == \"fine\"\n",
            "api-data.simsh": "ping\nexpect $response.data.note == \"fine\"\n",
            "webhook.simsh": """
            listen events --port 0
            simulate event NewState "state=$IMG" "exten=$SCRIPT"
            wait event NewState --timeout 20s
            expect $event.state == "Ringing"

            """,
        ]
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        return dir
    }

    /// The HTML report of checks failing on hostile text from a real server and a real webhook,
    /// read by Python's html.parser: the text is there, as text; no `img` or `script` element.
    @Test func hostileAnswersAndWebhookFieldsAreNoElementsOfTheHTMLReport() async throws {
        let answer = #"{"success":1,"message":"\#(Self.image)","data":{"note":"\#(Self.script)"}}"#
        let server = HTTPServer { _ in .json(200, answer) }
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let home = TempDir()
        let checks = try Self.hostileChecks(in: home)
        let out = home.file("report")
        let r = try spawnSimsh(
            [
                "test", checks, "--var", "IMG=\(Self.image)", "--var", "SCRIPT=\(Self.script)", "--report-html", out,
            ],
            environment: [
                "SIMSH_URL": "http://127.0.0.1:\(port)", "SIMSH_USER": "tester", "SIMSH_PASSWORD": "Pw-21-xss",
                "SIMSH_API_KEY": "Key21xss",
            ], home: home, timeout: 120)
        await server.stop()
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("Failed files:    3"), "\(r.stdout)")
        let parsed = try ChildProcess("/usr/bin/python3", ["-c", Self.pageParser, out + "/index.html"])
        parsed.closeStdin()
        #expect(parsed.wait(timeout: 60) == 0, "\(parsed.stderr)")
        let page = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any]
        let tags = page?["tags"] as? [String] ?? []
        let text = page?["text"] as? String ?? ""
        #expect(tags.contains("table"), "\(parsed.stdout)")
        #expect(!tags.contains("img") && !tags.contains("script"), "\(tags)")
        // Each payload is on the page as text: from the answer and from the webhook's field.
        #expect(text.components(separatedBy: Self.image).count >= 3, "\(text)")
        #expect(text.contains("<script>alert(1)"), "\(text)")
    }

    /// Files named with a line feed, a carriage return and U+2028: Perl's TAP::Parser still reads
    /// the plan and every test line of the TAP report.
    @Test(
        .enabled(
            if: SpawningTests.SafetyGapsTests.hasTAPParser,
            "Perl's TAP::Parser is not installed (Debian: perl-modules)"))
    func fileNamesThatBreakLinesKeepTheTAPPlan() throws {
        let home = TempDir()
        let dir = home.file("checks")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["new\nline", "carriage\rreturn", "line\u{2028}separator"] {
            try "expect 1 == 2\n".write(toFile: dir + "/" + name + ".simsh", atomically: false, encoding: .utf8)
        }
        try "expect 1 == 1\n".write(toFile: dir + "/plain.simsh", atomically: false, encoding: .utf8)
        let tap = home.file("out.tap")
        let r = try spawnSimsh(["test", dir, "--report-tap", tap], home: home, timeout: 60)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let text = try String(contentsOfFile: tap, encoding: .utf8)
        #expect(
            try SpawningTests.ReportTargetTests.parsedTAP(text) == "plan=1..4 tests=4 failed=3 errors=0", "\(text)")
    }
}
