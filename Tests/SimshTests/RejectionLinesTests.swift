import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshRuntime

/// In a script, a request the listener refuses is one line on standard error saying why (issue
/// 23, point 1), one a second for each kind then a count, and `listen status` breaks them down.
@Suite(.timeLimit(.minutes(2))) struct RejectionLinesTests {
    /// The lines about refused requests written so far.
    static func rejectionLines(_ t: TestSession) -> [String] {
        t.sink.standardError.split(separator: "\n").map(String.init).filter {
            $0.contains(" rejected ") || $0.contains(" more rejected: ")
        }
    }

    /// Waits (20 s at most) for a line about refused requests holding `text`.
    static func waitForLine(_ t: TestSession, containing text: String) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let found = rejectionLines(t).first(where: { $0.contains(text) }) { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test func refusedRequestsAreLinesOnStandardErrorAndListenStatusCountsThem() async throws {
        let t = TestSession(environment: ["HOOK_PW": "s3cret-pw"])
        #expect(await t.run("listen events --user u --password-env HOOK_PW --path /simotel") == 0, "\(t.sink.all)")
        let listener = try #require(t.session.listener)

        // No credentials: one line saying so, with the user expected, the method, path and sender.
        #expect(try await TestHTTP.send(listener.url + "Cdr", headers: TestHTTP.json, body: pingBody(1)) == 401)
        let first = Self.rejectionLines(t)
        #expect(first.count == 1, "\(t.sink.standardError)")
        let pattern =
            #"^\d\d:\d\d:\d\d rejected POST /simotel/Cdr from 127\.0\.0\.1:\d+: "#
            + #"401: no Basic credentials; this listener expects user 'u'$"#
        #expect(first.first?.range(of: pattern, options: .regularExpression) != nil, "\(first)")
        #expect(!t.sink.standardOutput.contains("rejected"), "\(t.sink.standardOutput)")

        // Twenty at once to a path that is no event's: one line, then one counting the others.
        let connection = try RawConnection(port: listener.port!)
        let auth = "Authorization: Basic \(Data("u:s3cret-pw".utf8).base64EncodedString())\r\n"
        let one = "GET /simotel/a/b HTTP/1.1\r\nHost: x\r\n\(auth)\r\n"
        connection.send(
            String(repeating: one, count: 19) + "GET /x HTTP/1.1\r\nHost: x\r\n\(auth)Connection: close\r\n\r\n")
        _ = await connection.readUntilClosedOffThePool()
        let summary = try await Self.waitForLine(t, containing: "more rejected: 404 no such path (the last GET /x")
        #expect(summary?.contains("(the last GET /x from 127.0.0.1:") == true, "\(t.sink.standardError)")
        // One line a second for the kind: one (two when the burst spans a second's end) and a count of the rest.
        let lines = Self.rejectionLines(t).dropFirst()
        let shown = lines.filter { $0.contains(" rejected GET /") }
        let counted = lines.compactMap { line -> Int? in
            guard let r = line.range(of: #"… and \d+ more"#, options: .regularExpression) else { return nil }
            return Int(line[r].split(separator: " ")[2])
        }
        #expect(!shown.isEmpty && shown.count + counted.reduce(0, +) == 20, "\(lines)")
        let notFound = shown.first ?? ""
        #expect(notFound.contains(" rejected GET /simotel/a/b from 127.0.0.1:"), "\(lines)")
        #expect(notFound.hasSuffix(": 404: no such path; events go to \(listener.url) (or /simotel/EVENT_NAME)"))
        #expect(!t.sink.all.contains("s3cret-pw"))

        try await Self.expectBreakdown(t)
        #expect(!t.sink.all.contains("s3cret"))
        await t.session.stopListener()
    }

    /// `listen status`: by status and reason, with the count and the last sender; the same as data with JSON.
    static func expectBreakdown(_ t: TestSession) async throws {
        #expect(await t.run("listen status") == 0)
        let status = t.sink.standardOutput
        #expect(status.range(of: #"(?m)^rejected +21$"#, options: .regularExpression) != nil, "\(status)")
        let rows = [
            #"(?m)^ +401 no Basic credentials +1 \(last 127\.0\.0\.1:\d+ at \d\d:\d\d:\d\d\)$"#,
            #"(?m)^ +404 no such path +20 \(last 127\.0\.0\.1:\d+ at \d\d:\d\d:\d\d\)$"#,
        ]
        for row in rows { #expect(status.range(of: row, options: .regularExpression) != nil, "\(row) in \(status)") }

        // The same as data with --output json.
        t.session.outputMode = .json
        #expect(await t.run("listen status") == 0)
        let last = try #require(t.sink.standardOutput.split(separator: "\n").last)
        let record = try JSONValue.parse(String(last))
        let rejections = try #require((record["values"] ?? record)["rejections"], "\(last)")
        guard case .array(let items) = rejections else {
            Issue.record("rejections is not an array: \(last)")
            return
        }
        #expect(items.map { $0["status"]?.intValue } == [401, 404])
        #expect(items.map { $0["reason"]?.stringValue } == ["no Basic credentials", "no such path"])
        #expect(items.map { $0["count"]?.intValue } == [1, 20])
        #expect(items.allSatisfy { $0["last_from"]?.stringValue?.hasPrefix("127.0.0.1:") == true }, "\(last)")
        #expect(items.first?["last_reason"]?.stringValue == "no Basic credentials; this listener expects user 'u'")
    }
}
