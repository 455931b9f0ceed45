import Foundation
import HTTPServerKit
import SimotelKit
import SimshTesting
import Testing

@testable import SimotelWebhooks
@testable import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Defects found by probing the listener and its rule scripts as an attacker would, each kept.
@Suite(.timeLimit(.minutes(3))) struct ListenerProbeTests {
    static let json = [("Content-Type", "application/json")]

    static func post(_ body: String, extra: String = "") -> String {
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// A listener that answers every component request `{"ok":"1","case":CASE}` after 300 ms.
    static func lateReplies(case value: String) async throws -> WebhookListener {
        let listener = WebhookListener(configuration: ListenerConfiguration())
        listener.componentAnswer = { _ in
            .compute(rule: "late", within: .seconds(30)) {
                try? await Task.sleep(for: .milliseconds(300))
                return .object([("ok", .string("1")), ("case", .string(value))])
            }
        }
        try await listener.start()
        return listener
    }

    static func statuses(_ answers: String) -> [String] {
        answers.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
    }

    /// Scripts busy on every thread of the task pool cannot hold back the 800 ms deadline: each
    /// request is answered {"ok":"0"}, and the scripts are stopped.
    @Test func busyRuleScriptsOnEveryThreadStillMeetTheDeadline() async throws {
        let dir = TempDir()
        try "repeat 1000000000\n  set x = 1\nend\nreply case=1\n".write(
            toFile: dir.file("busy.simsh"), atomically: true, encoding: .utf8)
        let t = TestSession()
        #expect(await t.run("listen events\nanswer ivr busy --script \(dir.file("busy.simsh"))") == 0)
        let listener = try #require(t.session.listener)
        let body = Array(#"{"src":"1","dst":"2","data":"","unique_id":"u","app_name":"busy"}"#.utf8)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { try await TestHTTP.send(listener.url, headers: Self.json, body: body) }
            }
            for try await status in group { #expect(status == 200) }
        }
        // Answered first, then stored and kept (the event store's write comes after the reply).
        let deadline = ContinuousClock.now + .seconds(30)
        while listener.store.all.count < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let replies = listener.store.all.compactMap(\.reply)
        #expect(replies.count == 4 && replies.allSatisfy { $0["ok"] == .string("0") }, "\(replies)")
        await t.session.close()
    }

    /// A refusal (413) keeps its place after the answers to the requests before it.
    @Test func aTooLargeRequestIsAnsweredInItsTurn() async throws {
        var config = ListenerConfiguration()
        config.limits = ServerLimits(maxBodyBytes: 1000)
        try await withListener(config) { (listener: WebhookListener) async throws in
            let event = #"{"event_name":"NewState","exten":"1"}"#
            let big = "{\"event_name\":\"Cdr\",\"x\":\"" + String(repeating: "a", count: 2000) + "\"}"
            for extra in ["", "Transfer-Encoding: chunked\r\n"] {
                let c = try RawConnection(port: listener.port!)
                if extra.isEmpty {
                    c.send(Self.post(event) + Self.post(event) + Self.post(big))
                } else {
                    let chunked =
                        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\(extra)\r\n"
                        + String(big.utf8.count, radix: 16) + "\r\n\(big)\r\n0\r\n\r\n"
                    c.send(Self.post(event) + Self.post(event) + chunked)
                }
                let answers = await c.readUntilClosedOffThePool(within: 30)
                #expect(Self.statuses(answers) == ["200", "200", "413"], "\(answers)")
            }
        }
    }

    /// A client that closes its side once it has sent its events (a half-close) still gets
    /// every answer, then the connection closes (found by scripts/abuse: the answers were lost).
    @Test func aHalfClosedClientGetsItsAnswers() async throws {
        try await withListener { (listener: WebhookListener) async throws in
            let event = #"{"event_name":"NewState","exten":"1"}"#
            let c = try RawConnection(port: listener.port!)
            c.send(Self.post(event) + Self.post(event) + Self.post(event))
            shutdown(c.fd, Int32(SHUT_WR))
            let answers = await c.readUntilClosedOffThePool(within: 30)
            #expect(Self.statuses(answers) == ["200", "200", "200"], "\(answers)")
            #expect(listener.store.all.count == 3)
        }
    }

    /// The deadline's replies still go out when the listener stops meanwhile.
    @Test func stoppingAnswersRepliesBeingComputed() async throws {
        let listener = try await Self.lateReplies(case: "2")
        let c = try RawConnection(port: listener.port!)
        c.send(
            Self.post(
                #"{"src":"1","dst":"2","data":"","unique_id":"u","app_name":"slow"}"#, extra: "Connection: close\r\n"))
        try await Task.sleep(for: .milliseconds(50))
        await listener.stop()
        let answers = await c.readUntilClosedOffThePool(within: 30)
        #expect(answers.hasSuffix(#"{"ok":"1","case":"2"}"#), "\(answers)")
    }

    /// `Expect: 100-continue` is answered at once; an absolute-form target is the path it names.
    @Test func aClientAskingLeaveToSendGetsItAndAbsoluteTargetsWork() async throws {
        try await withListener { (listener: WebhookListener) async throws in
            let event = #"{"event_name":"NewState","exten":"1"}"#
            let c = try RawConnection(port: listener.port!)
            c.send(
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: \(event.utf8.count)\r\n\r\n")
            var got = ""
            let deadline = Date().addingTimeInterval(20)
            var buf = [UInt8](repeating: 0, count: 512)
            while !got.contains("\r\n\r\n"), Date() < deadline {
                let n = recv(c.fd, &buf, buf.count, Int32(MSG_DONTWAIT))
                if n > 0 { got += String(decoding: buf[..<n], as: UTF8.self) } else { usleep(10_000) }
            }
            #expect(got.hasPrefix("HTTP/1.1 100 Continue\r\n"), "\(got)")
            let absolute = try RawConnection(port: listener.port!)
            absolute.send(
                "POST http://127.0.0.1:\(listener.port!)/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: \(event.utf8.count)\r\n\r\n\(event)")
            #expect(Self.statuses(await absolute.readUntilClosedOffThePool(within: 30)) == ["200"])
        }
    }

    /// After a short write (a full disk) the next line starts on a line of its own; a pipe that
    /// nobody reads fails the write instead of blocking the event loop; a FIFO without a reader
    /// is refused at the start.
    @Test func aTornLineIsEndedAndAStuckPipeNeverBlocks() throws {
        let dir = TempDir()
        let fifo = dir.file("log.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: EventLog.WriteError.self) { try EventLog(path: fifo) }
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        let log = try EventLog(path: fifo)
        let line = Array(String(repeating: "x", count: 999).utf8) + [0x0A]
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for _ in 0..<200 {  // 200 kB: more than the pipe holds
            bytes += line
            ends.append(bytes.count)
        }
        let (written, error) = log.append(bytes, lineEnds: ends)
        #expect(written < 200 && error != nil)
        let (none, stuck) = log.append(line, lineEnds: [line.count])  // still full: fails, never waits
        #expect(none == 0 && stuck?.description == "nothing reads it (a full pipe or FIFO)")
        var drained: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(reader, &buf, buf.count)
            if n <= 0 { break }
            drained += buf[..<n]
        }
        #expect(drained.last != 0x0A)  // the pipe took part of a line
        #expect(log.append(Array("{\"seq\":1}\n".utf8), lineEnds: [10]).lines == 1)
        let n = read(reader, &buf, buf.count)
        #expect(Array(buf[..<max(0, n)]) == Array("\n{\"seq\":1}\n".utf8))
    }

    /// Replies are checked as component call checks them; text from a request cannot drive the terminal.
    @Test func repliesAreCheckedAndRequestTextIsShownSafely() async {
        let t = TestSession()
        #expect(await t.run("answer ivr i case=") == 2)
        #expect(t.sink.standardError.contains("\"case\" is empty"), "\(t.sink.standardError)")
        #expect(await t.run("answer trunk t trunk=T extension=1 call_limit=abc") == 2)
        #expect(t.sink.standardError.contains("\"call_limit\" is 'abc', not a number of seconds"))
        #expect(Output.terminalSafe("a\u{202E}b\u{2066}c") == "a\u{FFFD}b\u{FFFD}c")
        #expect(Output.terminalSafe("\u{1B}[8mhidden", keepColour: false) == "\u{FFFD}[8mhidden")
        #expect(Output.terminalSafe("\u{1B}[31mred\u{1B}[0m") == "\u{1B}[31mred\u{1B}[0m")
    }
}
