import Foundation
import HTTPServerKit
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands

/// `component call` against a small service that answers as integrators' services do (issue 11,
/// point 2; webhooks.md §6).
@Suite(.timeLimit(.minutes(3))) struct ComponentCallTests {
    /// A service that replies `reply` (or nothing for `delay` seconds) and keeps what it was sent.
    /// The service a server's handler answers for: set once, before the server starts, so no
    /// request reads it while it is written.
    final class Owner: @unchecked Sendable {
        weak var service: Service?
    }

    final class Service: @unchecked Sendable {
        let lock = NSLock()
        var requests: [ServerRequest] = []
        var reply: String
        var delay: Double
        let server: HTTPServer
        var url = ""

        init(reply: String, delay: Double = 0) async throws {
            self.reply = reply
            self.delay = delay
            let owner = Owner()
            server = HTTPServer { request in
                guard let me = owner.service else { return .ok }
                let (reply, delay) = me.lock.withLock { () -> (String, Double) in
                    me.requests.append(request)
                    return (me.reply, me.delay)
                }
                if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
                return .json(200, reply)
            }
            owner.service = self
            let port = try await server.start(host: "127.0.0.1", port: 0)
            url = "http://127.0.0.1:\(port)/"
        }
    }

    static func run(_ line: String) async -> (Int32, TestSession) {
        let t = TestSession()
        let status = await t.run(line)
        return (status, t)
    }

    /// Each documented request/reply pair of §6.2–6.5.
    @Test func theDocumentedRepliesPass() async throws {
        let cases: [(String, String, String)] = [
            ("exten", #"{"ok":"1","extension":"200"}"#, "src=09155441 dst=31041000 --app-name 'Extension API'"),
            ("trunk", #"{"ok":"1","trunk":"NasimTrunk","extension":"09151412541","call_limit":"300"}"#, "src=1 dst=2"),
            ("ivr", #"{"ok":"1","case":"3"}"#, "src=09155441 dst=789 data=3"),
            (
                "smart",
                #"{"ok":"1","commands":"PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')"}"#,
                "src=09155441 dst=789 --app-name s1 --cases go-s2"
            ),
            ("smart", #"{"ok":1,"commands":"Exit('go-b')"}"#, "src=09155441 dst=789 data=2 --app-name s2"),
        ]
        for (kind, reply, args) in cases {
            let service = try await Service(reply: reply)
            // A generous --timeout: the machine may be busy (the 1 s default is Simotel's).
            let (status, t) = await Self.run("component call \(kind) \(service.url) \(args) --timeout 20s")
            #expect(status == 0, "\(kind) \(reply): \(t.sink.all)")
            let sent = try #require(service.requests.first)
            #expect(sent.method == "POST" && sent.mediaType == "application/json")
            let body = try JSONValue.parse(sent.body)
            #expect(body["src"] != nil && body["dst"] != nil && body["data"] != nil && body["unique_id"] != nil)
            #expect((body["originated_call_id"] != nil) == (kind == "smart"))
            #expect(t.session.replyValue?["status"] == .number(200))
            await service.server.stop()
        }
    }

    @Test func badRepliesFailWithTheirProblemAndTimeoutsExitThree() async throws {
        let cases: [(String, String, String)] = [
            (
                "smart", #"{"ok":"1","commands":"MusicOnHold(‘default’, 60); Exit('go')"}"#,
                "column 13: typographic quote ‘"
            ),
            ("exten", #"{"ok":"0"}"#, "\"ok\" is \"0\""), ("exten", "ok", "not JSON"),
            ("ivr", #"{"ok":"1"}"#, "no \"case\""),
            ("trunk", #"{"ok":"1","trunk":"T","extension":"1"}"#, "no \"call_limit\""),
            ("smart", #"{"ok":"1","commands":"Exit('go-c')"}"#, "no such case"),
        ]
        for (kind, reply, problem) in cases {
            let service = try await Service(reply: reply)
            let (status, t) = await Self.run("component call \(kind) \(service.url) --cases go-a,go-b --timeout 20s")
            #expect(status == 1, "\(reply): \(t.sink.all)")
            #expect(t.sink.standardError.contains(problem), "\(reply): \(t.sink.standardError)")
            await service.server.stop()
        }
        let slow = try await Service(reply: #"{"ok":"1","extension":"1"}"#, delay: 3)
        let (status, t) = await Self.run("component call exten \(slow.url) --timeout 300ms")
        #expect(status == 3, "\(t.sink.all)")
        await slow.server.stop()
        let (refused, _) = await Self.run("component call exten http://127.0.0.1:\(closedPort())/")
        #expect(refused == 3)
        // A body that trickles forever is no reply: the deadline covers it too.
        let trickle = try FaultServer("trickle-body", "0.1")
        let (dripped, d) = await Self.run("component call exten http://127.0.0.1:\(trickle.port)/ --timeout 500ms")
        #expect(dripped == 3, "\(d.sink.all)")
        // Two "ok" keys: parsers disagree on which counts.
        let twice = try await Service(reply: #"{"ok":"0","ok":"1","extension":"100"}"#)
        let (dup, t2) = await Self.run("component call exten \(twice.url) --timeout 20s")
        #expect(dup == 1 && t2.sink.standardError.contains("the reply has \"ok\" twice"), "\(t2.sink.all)")
        await twice.server.stop()
    }

    @Test func theReplyIsKeptForChecks() async throws {
        let service = try await Service(reply: #"{"ok":"1","case":"2"}"#)
        let (status, t) = await Self.run(
            "component call ivr \(service.url) data=2 --variant form --timeout 20s\nexpect $reply.case == 2 and $reply.status == 200"
        )
        #expect(status == 0, "\(t.sink.all)")
        #expect(service.requests.first?.mediaType == "application/x-www-form-urlencoded")
        await service.server.stop()
    }
}
