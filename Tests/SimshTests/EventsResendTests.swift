import Foundation
import HTTPServerKit
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

@testable import SimshCommands

/// `events resend` (issue 11, point 5): recorded events go out again exactly as they arrived.
@Suite struct EventsResendTests {
    @Test func eventsGoOutAsTheyArrivedAndAClosedPortFailsItsLineOnly() async throws {
        let t = TestSession()
        #expect(await t.run("listen events") == 0)
        let url = try #require(t.session.listener?.url)
        let ping = JSONValue.object([("event_name", .string("Ping"))])
        let state = JSONValue.object([("event_name", .string("NewState")), ("exten", .string("991"))])
        _ = try await WebhookSender().send(ping, eventName: "Ping", to: url, variant: .g4)
        _ = try await WebhookSender().send(state, eventName: "NewState", to: url, variant: .rest4)
        _ = try await WebhookSender().send(state, eventName: "NewState", to: url, variant: .get)
        _ = try await WebhookSender().send(state, eventName: "NewState", to: url, variant: .form)
        let kept = try #require(t.session.listener?.store.all)
        #expect(kept.count == 4)

        let app = try await ComponentCallTests.Service(reply: "{}")
        #expect(await t.run("events resend 1 2 3 4 --to \(app.url)hooks") == 0, "\(t.sink.all)")
        let got = app.lock.withLock { app.requests }
        #expect(got.count == 4)
        for (event, request) in zip(kept, got) {
            #expect(request.method == event.method)
            #expect(request.body == event.body)
            #expect(request.header("Content-Type") == event.contentType)
            let query = event.uri.firstIndex(of: "?").map { String(event.uri[$0...]) } ?? ""
            #expect(request.uri.hasPrefix("/hooks") && request.uri.hasSuffix(query), "\(request.uri) for \(event.uri)")
        }
        #expect(got[1].uri == "/hooks/NewState")
        // The G address adds nothing, whatever the method: GET goes to /hooks?…, as POST to /hooks.
        #expect(
            got[0].uri == "/hooks" && got[2].uri.hasPrefix("/hooks?") && got[3].uri == "/hooks", "\(got.map(\.uri))")
        #expect(t.sink.standardOutput.contains("--> [200] POST \(app.url)hooks/NewState ("))

        let closed = TestSession()
        #expect(await closed.run("listen events") == 0)
        let closedURL = try #require(closed.session.listener?.url)
        _ = try await WebhookSender().send(ping, eventName: "Ping", to: closedURL)
        _ = try await WebhookSender().send(state, eventName: "NewState", to: closedURL)
        let status = await closed.run(
            "events resend --name NewState --to \(app.url)a\nevents resend 1 2 --to http://127.0.0.1:\(closedPort())/")
        #expect(status == 3, "\(closed.sink.all)")
        #expect(closed.sink.standardOutput.components(separatedBy: "--> [failed] ").count == 3, "\(closed.sink.all)")
        #expect(closed.sink.standardError.contains("2 of 2 events not delivered"))
        #expect(await closed.run("events resend 99 --to \(app.url)") == 2)
        await app.server.stop()
        await t.session.close()
        await closed.session.close()
    }

    /// A listener's log with each variant (G4 JSON, Rest4 JSON, GET, form) and a Cdr; the events
    /// the listener kept, in order.
    static func writeLog(_ path: String) async throws -> [ReceivedEvent] {
        let t = TestSession()
        #expect(await t.run("listen events --log \(path)") == 0, "\(t.sink.all)")
        let url = try #require(t.session.listener?.url)
        let ping = JSONValue.object([("event_name", .string("Ping"))])
        let state = JSONValue.object([
            ("event_name", .string("NewState")), ("exten", .string("991")), ("state", .string("Ringing")),
        ])
        let cdr = JSONValue.object([
            ("event_name", .string("Cdr")), ("src", .string("101")), ("billsec", .number(9)),
            ("record", .string("a b&c.wav")),
        ])
        _ = try await WebhookSender().send(ping, eventName: "Ping", to: url, variant: .g4)
        _ = try await WebhookSender().send(state, eventName: "NewState", to: url, variant: .rest4)
        _ = try await WebhookSender().send(state, eventName: "NewState", to: url, variant: .get)
        _ = try await WebhookSender().send(state, eventName: "NewState", to: url, variant: .form)
        _ = try await WebhookSender().send(cdr, eventName: "Cdr", to: url, variant: .g4)
        let kept = t.session.listener?.store.all ?? []
        await t.session.close()
        return kept
    }

    /// `events resend --file` (issue 23, point 10): a log replayed to an app, each event in the
    /// variant it arrived in; --name chooses; no listener needed.
    @Test func aLogIsReplayedInTheVariantsItsEventsArrivedIn() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        let kept = try await Self.writeLog(log)
        #expect(kept.count == 5)
        let app = RecordingServer()
        let url = try await app.start()
        let t = TestSession()
        #expect(await t.run("events resend --file \(log) --to \(url)/hooks --rate 1000/s") == 0, "\(t.sink.all)")
        let got = app.requests
        try #require(got.count == 5)
        for (event, request) in zip(kept, got) {
            #expect(request.method == event.method)
            #expect(request.body == event.body, "\(event.variant)")
            #expect(request.header("Content-Type") == event.contentType, "\(event.variant)")
            let query = event.uri.firstIndex(of: "?").map { String(event.uri[$0...]) } ?? ""
            #expect(request.uri.hasPrefix("/hooks") && request.uri.hasSuffix(query), "\(request.uri) for \(event.uri)")
        }
        // G addresses add nothing to the URL, a Rest one its event path; GET keeps its query.
        #expect([got[0].uri, got[1].uri, got[3].uri, got[4].uri] == ["/hooks", "/hooks/NewState", "/hooks", "/hooks"])
        #expect(got[2].uri.hasPrefix("/hooks?event_name=NewState&"), "\(got[2].uri)")
        #expect(t.sink.standardOutput.components(separatedBy: "--> [200] ").count == 6, "\(t.sink.all)")
        #expect(t.sink.standardOutput.contains("5 events of events.jsonl sent: 5 delivered"), "\(t.sink.all)")

        #expect(await t.run("events resend --file \(log) --to \(url)/only --name newstate") == 0, "\(t.sink.all)")
        let chosen = app.requests.dropFirst(5)
        #expect(chosen.count == 3)
        #expect(chosen.allSatisfy { $0.uri.hasPrefix("/only") && $0.body.isEmpty == ($0.method == "GET") })
        #expect(t.sink.standardOutput.contains("3 events of the 5 in events.jsonl sent: 3 delivered"))
        #expect(await t.run("events resend --file \(log) --to \(url) --name Transfer") == 2)
        #expect(await t.run("events resend --file \(log) --to \(url) --rate fast") == 2)
        #expect(await t.run("events resend 1 --file \(log) --to \(url)") == 2)
        #expect(app.requests.count == 8)
        await app.server.stop()
        await t.session.close()
    }

    /// A bad line is an error naming FILE:LINE after the events before it went out; a missing
    /// file and a line over the bound are errors too, never a crash.
    @Test func aBadLineNamesItsFileAndLine() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        _ = try await Self.writeLog(log)
        let good = try String(contentsOfFile: log, encoding: .utf8)
        let app = RecordingServer()
        let url = try await app.start()
        let t = TestSession()
        for (bad, why) in [("{\"payload\":", "not JSON"), (#"{"name":"Ping"}"#, "not an event of a listener's log")] {
            let file = dir.file("bad.jsonl")
            try (good + "\n" + bad + "\n" + good).write(toFile: file, atomically: true, encoding: .utf8)
            let before = app.requests.count
            #expect(await t.run("events resend --file \(file) --to \(url)") == 2)
            #expect(t.sink.standardError.contains("\(file):7: \(why)"), "\(t.sink.all)")
            #expect(app.requests.count == before + 5, "the events before the bad line were sent")
            #expect(t.sink.standardOutput.contains("sent 5 events before line 7"))
        }
        let huge = dir.file("huge.jsonl")
        try String(repeating: "x", count: 9 << 20).write(toFile: huge, atomically: true, encoding: .utf8)
        #expect(await t.run("events resend --file \(huge) --to \(url)") == 2)
        #expect(t.sink.standardError.contains("\(huge):1: line longer than 8 MiB"), "\(t.sink.standardError)")
        #expect(await t.run("events resend --file \(dir.file("none.jsonl")) --to \(url)") == 3)
        #expect(t.sink.standardError.contains("none.jsonl: no such file or directory"))
        await app.server.stop()
        await t.session.close()
    }
}
