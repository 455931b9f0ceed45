import Foundation
import HTTPServerKit
import NIOCore
import SimotelKit
import SimshTesting
import Testing

@testable import SimotelWebhooks

/// Refused requests are visible (issue 23, point 1): one line each, in words, at most one a
/// second per kind then a count of the others, and counted by status and kind with the last sender.
@Suite(.timeLimit(.minutes(2))) struct RejectionTests {
    /// The first line holding `text`, waited for (a summary comes when its second is over, a 408
    /// when the deadline closes the connection).
    func line(_ lines: LineCollector, containing text: String) async throws -> String? {
        try await line(lines) { $0.contains(text) }
    }

    func line(_ lines: LineCollector, where wanted: (String) -> Bool) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let found = lines.all.first(where: wanted) { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    static func basic(_ userAndPassword: String) -> (String, String) {
        ("Authorization", "Basic " + Data(userAndPassword.utf8).base64EncodedString())
    }

    // MARK: the rate limit, on its own clock

    @Test func oneLineASecondForEachKindThenACountOfTheOthers() {
        var book = Rejections()
        let t0 = NIODeadline.uptimeNanoseconds(5_000_000_000)
        func at(_ ms: Int64) -> NIODeadline { t0 + .milliseconds(ms) }
        let notFound = ServerRejection(
            status: 404, kind: "no such path", reason: "no such path", method: "GET", path: "/x",
            remoteAddress: "127.0.0.1:1")
        let key = Rejections.Key(status: 404, kind: "no such path")
        var decisions = [book.note(notFound, at: Date(), now: at(0)), book.note(notFound, at: Date(), now: at(10))]
        for i in 2..<20 { decisions.append(book.note(notFound, at: Date(), now: at(Int64(10 * i)))) }
        #expect(decisions[0] == .show(more: 0))
        #expect(decisions[1] == .holdAndSummarize(key, at: at(1000)))
        #expect(decisions.dropFirst(2).allSatisfy { $0 == .hold }, "\(decisions)")
        // Another kind is not held back by this one.
        let unauthorized = ServerRejection(
            status: 401, kind: "no Basic credentials", reason: "no Basic credentials", remoteAddress: "127.0.0.1:2")
        let other = book.note(unauthorized, at: Date(), now: at(300))
        #expect(other == .show(more: 0))
        // When the second is over: the 19 held back, and the last of them.
        let summary = book.takeSummary(of: key, now: at(1000))
        #expect(summary?.count == 19)
        #expect(summary?.last == notFound)
        let again = book.takeSummary(of: key, now: at(1000))
        #expect(again?.count == nil)
        // The summary counts as the second's line: the next one within a second is held back too.
        let afterSummary = book.note(notFound, at: Date(), now: at(1500))
        #expect(afterSummary == .holdAndSummarize(key, at: at(2000)))
        // Shown once its second is over, with the one held back before it when its summary did not come first.
        let later = book.note(notFound, at: Date(), now: at(3000))
        #expect(later == .show(more: 1))
        let nothingLeft = book.takeSummary(of: key, now: at(3000))
        #expect(nothingLeft?.count == nil)
        #expect(book.total == 23)
        #expect(book.counts.map(\.status) == [401, 404])
        #expect(book.counts.map(\.count) == [1, 22])
        #expect(book.counts.last?.lastFrom == "127.0.0.1:1")
    }

    @Test func whatIsKeptIsBoundedWhateverTheKinds() {
        var book = Rejections()
        let now = NIODeadline.now()
        for i in 0..<1000 {
            let r = ServerRejection(status: 400, kind: "kind \(i)", reason: "why \(i)", remoteAddress: "127.0.0.1:3")
            _ = book.note(r, at: Date(), now: now)
        }
        #expect(book.entries.count <= Rejections.maxKinds + 1)
        #expect(book.total == 1000)
    }

    // MARK: the listener's own refusals

    @Test func a401SaysWhyAndWhoIsExpectedButNeverThePassword() async throws {
        let lines = LineCollector()
        try await withListener(ListenerConfiguration(basicAuth: ("u", "s3cret-pw"))) {
            (listener: WebhookListener) async throws in
            listener.onRejection = { lines.add($0) }
            let url = listener.url + "Cdr"
            #expect(try await TestHTTP.send(url, headers: TestHTTP.json, body: pingBody(1)) == 401)
            #expect(lines.all.count == 1, "\(lines.all)")
            let first = try #require(lines.all.first)
            let pattern =
                #"^\d\d:\d\d:\d\d rejected POST /Cdr from 127\.0\.0\.1:\d+: "#
                + #"401: no Basic credentials; this listener expects user 'u'$"#
            #expect(first.range(of: pattern, options: .regularExpression) != nil, "\(first)")

            let expects = "this listener expects user 'u'"
            for (auth, said) in [
                (Self.basic("u:wrong"), "401: wrong password for user 'u'"),
                (Self.basic("x:s3cret-pw"), "401: user 'x' is not the expected user 'u'"),
                (("Authorization", "Bearer tok3n"), "401: Bearer credentials, not Basic; \(expects)"),
            ] {
                #expect(try await TestHTTP.send(url, headers: TestHTTP.json + [auth], body: pingBody(2)) == 401)
                #expect(lines.all.last?.hasSuffix(said) == true, "\(lines.all)")
            }
            // The password where the user goes: a wrong user, its name not written out.
            #expect(
                try await TestHTTP.send(url, headers: TestHTTP.json + [Self.basic("s3cret-pw:")], body: pingBody(3))
                    == 401)
            let counts = listener.rejections
            #expect(
                counts.map(\.kind) == ["no Basic credentials", "not Basic credentials", "wrong password", "wrong user"])
            #expect(counts.map(\.count) == [1, 1, 1, 2])
            #expect(counts.allSatisfy { $0.status == 401 && $0.lastFrom.hasPrefix("127.0.0.1:") })
            #expect(counts.last?.lastReason.contains("not shown: it holds the password") == true)
            #expect(listener.rejected == 5)
            // The fifth is the second wrong user: within a second of the first, counted in a line
            // of its own when the second is over; later, shown without the name.
            let fifth = try await line(lines) {
                $0.contains("… and 1 more rejected: 401 wrong user (the last POST /Cdr from 127.0.0.1:")
                    || $0.hasSuffix("a user name that is not the expected user 'u' (not shown: it holds the password)")
            }
            #expect(fifth != nil, "\(lines.all)")
            let all = lines.all.joined(separator: "\n") + counts.map(\.lastReason).joined()
            for secret in ["s3cret", "tok3n", Data("u:wrong".utf8).base64EncodedString()] {
                #expect(!all.contains(secret), "\(secret) in \(all)")
            }
        }
    }

    @Test func twentyQuick404sAreOneLineThenACount() async throws {
        let lines = LineCollector()
        try await withListener(ListenerConfiguration(path: "/hooks")) { (listener: WebhookListener) async throws in
            listener.onRejection = { lines.add($0) }
            // Pipelined in one write: answered in one turn of the event loop.
            let connection = try RawConnection(port: listener.port!)
            let one = "GET /wp-login.php HTTP/1.1\r\nHost: x\r\n\r\n"
            connection.send(
                String(repeating: one, count: 19) + "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let answers = await connection.readUntilClosedOffThePool()
            #expect(answers.components(separatedBy: "HTTP/1.1 404 ").count - 1 == 20, "\(answers)")
            let summary = try await line(lines, containing: "more rejected")
            #expect(
                summary?.contains("… and 19 more rejected: 404 no such path (the last GET /x from 127.0.0.1:") == true,
                "\(lines.all)")
            #expect(lines.all.count == 2, "\(lines.all)")
            let first = try #require(lines.all.first)
            #expect(first.contains(" rejected GET /wp-login.php from 127.0.0.1:"), "\(first)")
            #expect(
                first.hasSuffix("404: no such path; events go to \(listener.url) (or /hooks/EVENT_NAME)"), "\(first)")
            #expect(listener.notFound == 20)
            #expect(listener.rejections.map(\.count) == [20])
        }
    }

    @Test func theServersOwnRefusalsAreInWordsToo() async throws {
        let lines = LineCollector()
        var config = ListenerConfiguration()
        config.limits = ServerLimits(maxBodyBytes: 1024, idleTimeoutSeconds: 10, requestTimeoutSeconds: 1)
        try await withListener(config) { (listener: WebhookListener) async throws in
            listener.onRejection = { lines.add($0) }
            let big = Array(repeating: UInt8(0x61), count: 2000)
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: big) == 413)
            #expect(lines.all.last?.hasSuffix("413: body of 2000 bytes over the 1 KiB limit") == true, "\(lines.all)")
            #expect(lines.all.last?.contains(" rejected POST / from 127.0.0.1:") == true, "\(lines.all)")
            #expect(try await TestHTTP.send(listener.url, method: "DELETE") == 405)
            #expect(lines.all.last?.hasSuffix("405: method DELETE not allowed; events come as GET or POST") == true)
            #expect(
                try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: Array("{not json".utf8)) == 400)
            #expect(lines.all.last?.hasSuffix("400: body is not valid JSON") == true, "\(lines.all)")

            let notHTTP = try RawConnection(port: listener.port!)
            notHTTP.send("NOT HTTP AT ALL\r\n\r\n")
            #expect(await notHTTP.readUntilClosedOffThePool().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            let malformed = try await line(lines, containing: "400: not an HTTP/1.1 request: ")
            #expect(malformed?.contains(" rejected a request from 127.0.0.1:") == true, "\(lines.all)")

            // Header fields over NIO's 80 KiB: 431 (the answer may be lost to the reset of a
            // connection closed with bytes unread; the line is not).
            let bigHead = try RawConnection(port: listener.port!)
            bigHead.send("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + String(repeating: "a", count: 82_000) + "\r\n\r\n")
            let tooLarge = try await line(lines, containing: "431: header fields over the 80 KiB limit")
            #expect(tooLarge?.contains(" rejected a request from 127.0.0.1:") == true, "\(lines.all)")

            // A body that stops short of its Content-Length: cut off at the request deadline (1 s).
            let short = try RawConnection(port: listener.port!)
            short.send(
                "POST /Cdr HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            let timedOut = try await line(lines, containing: "408: ")
            // On a slow machine (the thread sanitizer) the deadline may come before the head or the
            // byte is read: what the line says of them follows what was read.
            #expect(timedOut?.contains("408: request not complete within 1 s") == true, "\(lines.all)")
            #expect(timedOut?.hasSuffix("; the connection was closed") == true, "\(lines.all)")
            #expect(timedOut?.contains(" from 127.0.0.1:") == true, "\(lines.all)")
            #expect(short.isClosedByServer(within: 20))

            let kinds = Set(listener.rejections.map { "\($0.status) \($0.kind)" })
            #expect(
                kinds == [
                    "413 body too large", "405 method not allowed", "400 not an event", "400 not HTTP/1.1",
                    "431 header fields too large", "408 request timed out",
                ])
            #expect(listener.rejected == 6)
        }
    }

    @Test func anEventTheLogCannotTakeIsA503Rejection() async throws {
        let lines = LineCollector()
        try await withListener(ListenerConfiguration(logFile: "/dev/full")) {
            (listener: WebhookListener) async throws in
            listener.onRejection = { lines.add($0) }
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(1)) == 503)
            #expect(lines.all.count == 1, "\(lines.all)")
            #expect(lines.all.first?.hasSuffix("503: the event log cannot be written") == true, "\(lines.all)")
            #expect(listener.rejections.map(\.kind) == ["event log cannot be written"])
        }
    }
}
