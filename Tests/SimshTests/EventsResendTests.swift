import Foundation
import HTTPServerKit
import SimotelKit
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
}
