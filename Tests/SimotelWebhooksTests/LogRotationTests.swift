import AsyncHTTPClient
import Foundation
import HTTPServerKit
import NIOCore
import SimotelKit
import SimshTesting
import Testing

@testable import SimotelWebhooks

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 21, point 7: the event log under rotation (moved, deleted, SIGHUP) and on a full disk.
@Suite struct LogRotationTests {

    /// The `i` of each line of a log, which must all be whole JSON lines.
    static func logged(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.isEmpty || text.hasSuffix("\n"), "\(path) ends in a torn line")
        return try loggedPings(path)
    }

    /// `mv events.jsonl events.jsonl.1` (logrotate's default): the next events go to a new
    /// file at the path, not after the old lines in the file moved away.
    @Test func aLogMovedAwayIsFollowedByANewFileAtItsPath() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            #expect(try await TestHTTP.sendPings(0..<3, to: listener.url) == Array(repeating: 200, count: 3))
            #expect(rename(log, log + ".1") == 0)
            #expect(try await TestHTTP.sendPings(3..<5, to: listener.url) == Array(repeating: 200, count: 2))
        }
        #expect(try Self.logged(log + ".1") == ["0", "1", "2"])
        #expect(try Self.logged(log) == ["3", "4"])
    }

    /// `rm events.jsonl`: events answered 200 afterwards are in a new file at the path, not
    /// in the deleted one (where they were lost).
    @Test func aDeletedLogIsFollowedByANewFileAtItsPath() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            #expect(try await TestHTTP.sendPings(0..<3, to: listener.url) == Array(repeating: 200, count: 3))
            #expect(unlink(log) == 0)
            #expect(try await TestHTTP.sendPings(3..<5, to: listener.url) == Array(repeating: 200, count: 2))
        }
        #expect(try Self.logged(log) == ["3", "4"])
    }

    /// Its directory gone too, a log cannot be opened again: the events are answered 503
    /// (Simotel sends them again), none written to the deleted file; once the directory is
    /// back, they are logged again.
    @Test func aLogThatCannotBeOpenedAgainAnswers503UntilItCan() async throws {
        let dir = TempDir()
        let sub = dir.file("logs")
        #expect(mkdir(sub, 0o700) == 0)
        let log = sub + "/events.jsonl"
        let warnings = LineCollector()
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            listener.onWarning = { warnings.add($0) }
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(0)) == 200)
            #expect(unlink(log) == 0 && rmdir(sub) == 0)
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(1)) == 503)
            #expect(mkdir(sub, 0o700) == 0)
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(2)) == 200)
            #expect(listener.logFailureCount == 1)
        }
        #expect(try Self.logged(log) == ["2"])
        #expect(warnings.all.first?.contains("cannot open \(log): no such directory") == true, "\(warnings.all)")
        #expect(warnings.all.last == "the event log \(log) is written again", "\(warnings.all)")
    }

    /// `reopenLog()` (what SIGHUP does in a script) opens the file at the path at once, before
    /// any event arrives.
    @Test func reopeningTheLogOpensTheFileAtItsPathAtOnce() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            #expect(try await TestHTTP.sendPings(0..<2, to: listener.url) == Array(repeating: 200, count: 2))
            #expect(rename(log, log + ".1") == 0)
            listener.reopenLog()
            #expect(FileManager.default.fileExists(atPath: log))
            #expect(try await TestHTTP.send(listener.url, headers: TestHTTP.json, body: pingBody(2)) == 200)
        }
        #expect(try Self.logged(log + ".1") == ["0", "1"])
        #expect(try Self.logged(log) == ["2"])
    }
}

/// Issue 21, point 8: what rule scripts hold for the component requests they answer comes out
/// of the budget of kept events (--keep-bytes).
@Suite struct RuleBudgetTests {
    /// A POST with a JSON body, and the answer's body.
    static func post(_ url: String, _ body: [UInt8]) async throws -> String {
        var r = HTTPClientRequest(url: url)
        r.method = .POST
        r.headers.add(name: "Connection", value: "close")
        r.headers.add(name: "Content-Type", value: "application/json")
        r.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(r, timeout: .seconds(60))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// A budget for three requests being answered: three are let in (and wait for their rule),
    /// the three past it are answered `{"ok":"0"}` at once with a warning each, kept events make
    /// room, and the budget is given back when the scripts end.
    @Test func theRequestsRuleScriptsHoldAreWithinKeepBytes() async throws {
        let filler = String(repeating: "x", count: 200_000)
        let body = Array(#"{"src":"1","dst":"2","data":"\#(filler)","unique_id":"u","app_name":"big"}"#.utf8)
        let cost = WebhookListener.computingCost(
            ServerRequest(method: "POST", uri: "/", headers: [], body: body, remoteAddress: "127.0.0.1:1"))
        let listener = WebhookListener(configuration: ListenerConfiguration(keepBytes: 3 * cost + 1000))
        let warnings = LineCollector()
        listener.onWarning = { warnings.add($0) }
        let gate = Gate()
        listener.componentAnswer = { _ in
            .compute(rule: "big", within: .seconds(60)) {
                while !gate.isOpen { try? await Task.sleep(for: .milliseconds(10)) }
                return .object([("ok", .string("1")), ("case", .string("9"))])
            }
        }
        try await listener.start()
        let url = listener.url
        let replies = LineCollector()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { replies.add(try await Self.post(url, body)) }
            }
            let deadline = Date().addingTimeInterval(30)
            while replies.all.count < 3 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(replies.all == Array(repeating: #"{"ok":"0"}"#, count: 3), "\(replies.all)")
            #expect(listener.store.reservedBytes == 3 * cost)
            // The kept events made room for the work in progress (the newest is always kept).
            #expect(listener.store.usage.events == 1)
            gate.open()
            try await group.waitForAll()
        }
        #expect(replies.all.filter { $0 == #"{"ok":"1","case":"9"}"# }.count == 3, "\(replies.all)")
        let refused = warnings.all.filter { $0.contains("would take more than --keep-bytes") }
        #expect(refused.count == 3, "\(warnings.all)")
        #expect(refused.first?.contains("'big' answered {\"ok\":\"0\"}") == true, "\(warnings.all)")
        // Given back once the scripts have ended (just after their replies went out).
        let deadline = Date().addingTimeInterval(10)
        while listener.store.reservedBytes > 0 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(listener.store.reservedBytes == 0)
        #expect(try await Self.post(url, body) == #"{"ok":"1","case":"9"}"#)
        await listener.stop()
    }

    /// The first request is let in whatever the budget, as the newest event is always kept.
    @Test func oneRequestIsLetInWhateverTheBudget() async throws {
        let listener = WebhookListener(configuration: ListenerConfiguration(keepBytes: 1))
        listener.componentAnswer = { _ in
            .compute(rule: "one", within: .seconds(30)) { .object([("ok", .string("1")), ("case", .string("2"))]) }
        }
        try await listener.start()
        let body = Array(#"{"src":"1","dst":"2","data":"","unique_id":"u","app_name":"one"}"#.utf8)
        #expect(try await Self.post(listener.url, body) == #"{"ok":"1","case":"2"}"#)
        await listener.stop()
    }
}

/// Opened once by the test; read by the rule's computations.
private final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var opened = false
    func open() { lock.withLock { opened = true } }
    var isOpen: Bool { lock.withLock { opened } }
}
