import Foundation
import HTTPServerKit
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

/// What probing the listener as an attacker found (issue 7): the log, memory, deadlines, input rules.
@Suite struct ListenerLimitsTests {

    func logLines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    // MARK: the event log

    @Test func twoListenersShareOneLogWithoutLosingALine() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        try await withListener(ListenerConfiguration(logFile: log)) { (a: WebhookListener) async throws in
            try await withListener(ListenerConfiguration(logFile: log)) { (b: WebhookListener) async throws in
                for i in 0..<40 {
                    let url = i % 2 == 0 ? a.url : b.url
                    #expect(try await TestHTTP.send(url, headers: TestHTTP.json, body: pingBody(i)) == 200)
                }
            }
        }
        let lines = try logLines(log)
        #expect(lines.count == 40)
        let seen = Set(try lines.map { try JSONValue.parse($0)["payload"]?["i"]?.stringValue ?? "" })
        #expect(seen == Set((0..<40).map(String.init)))
    }

    @Test func aTruncatedLogGoesOnAtItsNewEnd() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            #expect(try await TestHTTP.sendPings(0..<5, to: listener.url) == Array(repeating: 200, count: 5))
            #expect(truncate(log, 0) == 0)  // `: > events.jsonl`, logrotate's copytruncate
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(5)) == 200)
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        #expect(!bytes.contains(0))
        let lines = try logLines(log)
        #expect(lines.count == 1)
        #expect(try JSONValue.parse(lines[0])["payload"]?["i"] == .string("5"))
    }

    @Test func aLogThatCannotBeWrittenAnswers503WarnsOnceAndCounts() async throws {
        let warnings = LineCollector()
        let listener = WebhookListener(configuration: ListenerConfiguration(logFile: "/dev/full"))
        listener.onWarning = { warnings.add($0) }
        try await listener.start()
        for i in 0..<3 {
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(i)) == 503)
        }
        await listener.stop()
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains("cannot write the event log /dev/full: no space left") == true)
        #expect(listener.logFailureCount == 3)
        #expect(listener.store.all.isEmpty)  // not kept either: Simotel sends it again
    }

    // MARK: input rules

    @Test func onlyEventAddressesAreRecorded() async throws {
        try await withListener { (listener: WebhookListener) async throws in
            for path in ["favicon.ico", ".env", "wp-login.php", "a/NewState", "NewState/x"] {
                #expect(
                    try await TestHTTP.send(listener.url + path + "?event_name=Ping", method: "GET") == 404,
                    "\(path)")
            }
            #expect(listener.notFound == 5)
            #expect(
                try await TestHTTP.send(
                    listener.url, headers: [("Content-Type", "text/plain")], body: Array("hello".utf8)) == 400)
            #expect(try await TestHTTP.send(listener.url, body: Array("hello".utf8)) == 400)
            #expect(try await TestHTTP.send(listener.url, method: "GET") == 400)  // G path, no event fields
            #expect(listener.store.all.isEmpty)
            // The event addresses still work: the G path, and /EventName in any case with a trailing `/`.
            #expect(try await TestHTTP.send(listener.url + "?event_name=Ping", method: "GET") == 200)
            #expect(try await TestHTTP.send(listener.url + "newstate/?exten=1", method: "GET") == 200)
            #expect(listener.store.all.map(\.name) == ["Ping", "NewState"])
        }
    }

    @Test func nonConformingJSONIsRefusedAndEveryLogLineParses() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        let leadingZero = #"{"n":01}"#
        // Strict, every one is refused.
        try await withListener(ListenerConfiguration(logFile: log, strict: true)) {
            (listener: WebhookListener) async throws in
            for body in [leadingZero, #"{"n":-00}"#, #"{"s":"\u+041"}"#, #"{"s":"\u-000"}"#] {
                #expect(
                    try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: Array(body.utf8)) == 400,
                    "\(body)")
            }
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(1)) == 200)
        }
        // Lenient (the default), a bare leading-zero number is a phone number, kept as its digits
        // (the IncomingCall sample's); the rest is still refused, and the log stays JSON.
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            for body in [#"{"n":-00}"#, #"{"s":"\u+041"}"#, #"{"s":"\u-000"}"#] {
                #expect(
                    try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: Array(body.utf8)) == 400,
                    "\(body)")
            }
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: Array(leadingZero.utf8)) == 200)
        }
        let lines = try logLines(log)
        #expect(lines.count == 2)
        for line in lines { _ = try JSONValue.parse(line) }
        #expect(try JSONValue.parse(lines[1])["payload"] == .object([("n", .string("01"))]), "\(lines[1])")
        #expect(try JSONValue.parse(lines[1])["lenient"] == .string("leading-zero number"))
    }

    @Test(arguments: ["Basic", "basic", "BASIC", "bAsIc"])
    func basicSchemeInAnyCase(scheme: String) async throws {
        try await withListener(ListenerConfiguration(basicAuth: ("hook", "s3cret"))) {
            (listener: WebhookListener) async throws in
            let token = Data("hook:s3cret".utf8).base64EncodedString()
            let auth = [("Authorization", "\(scheme) \(token)")]
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json + auth, body: pingBody(1)) == 200)
            let wrong = [("Authorization", "Bearer \(token)")]
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json + wrong, body: pingBody(2)) == 401)
        }
    }

    // MARK: memory and deadlines (in-process)

    @Test func keptEventsAreBoundedInBytes() async throws {
        let limit = 400_000
        try await withListener(ListenerConfiguration(keepBytes: limit)) { (listener: WebhookListener) async throws in
            let filler = String(repeating: "x", count: 60_000)
            for i in 0..<12 {
                let body = Array(#"{"event_name":"Cdr","i":"\#(i)","blob":"\#(filler)"}"#.utf8)
                #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: body) == 200)
            }
            let usage = listener.store.usage
            #expect(usage.bytes <= limit)
            #expect(usage.events >= 2 && usage.events < 12)
            #expect(listener.store.dropped == 12 - usage.events)
            #expect(listener.store.countsByName["Cdr"] == 12)  // dropped events still count
            #expect(listener.store.all.last?.payload["i"] == .string("11"))
        }
    }

    @Test func aClientThatReadsNoAnswersIsNoLongerRead() async throws {
        var config = ListenerConfiguration()
        // Small kernel buffers on both sides: the answers back up after a few hundred requests.
        config.limits = ServerLimits(
            maxBodyBytes: 1 << 20, idleTimeoutSeconds: 60, requestTimeoutSeconds: 60, socketSendBuffer: 4096)
        try await withListener(config) { (listener: WebhookListener) async throws in
            let request = Array(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n{\"event_name\":\"Ping\"}"
                    .utf8)
            let batch = Array((0..<200).map { _ in request }.joined())
            let flood = try RawConnection(port: listener.port!, receiveBuffer: 4096)
            var stalled = false
            var sent = 0
            for _ in 0..<300 where !stalled {  // up to 300 x 200 requests (6 MB)
                let n = flood.sendWithin(batch, seconds: 2)
                sent += n
                stalled = n == 0
            }
            #expect(stalled, "the listener kept reading a client that reads no answers (\(sent) bytes)")
            // What was sent and not read waits in the kernel's buffers (their size depends on the
            // machine); what the listener read is bounded: the answers it holds (up to NIO's
            // 64 KiB high watermark) and one turn of reads (16 reads of up to 64 KiB).
            let read = listener.store.countsByName["Ping"] ?? 0
            #expect(read * request.count < 3 << 20, "\(read) requests read of \(sent / request.count) sent")
        }
    }

    @Test func aRequestMustArriveWholeWithinItsDeadline() async throws {
        var config = ListenerConfiguration()
        config.limits = ServerLimits(maxBodyBytes: 1 << 20, idleTimeoutSeconds: 10, requestTimeoutSeconds: 1)
        try await withListener(config) { (listener: WebhookListener) async throws in
            // A body that trickles one byte every 200 ms: each byte resets an idle timer, not the deadline.
            let slow = try RawConnection(port: listener.port!)
            slow.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
            var closed = false
            for _ in 0..<50 where !closed {  // up to 10 s; the deadline is 1 s
                closed = !slow.send(" ") || slow.isClosedByServer(within: 0.2)
            }
            #expect(closed)
            // Headers that trickle are cut off the same way.
            let slowHead = try RawConnection(port: listener.port!)
            closed = false
            for byte in "POST / HTTP/1.1\r\nHost: x\r\nX-Pad: " + String(repeating: "a", count: 100) where !closed {
                closed = !slowHead.send(String(byte)) || slowHead.isClosedByServer(within: 0.2)
            }
            #expect(closed)
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(1)) == 200)
        }
    }
}
