import Foundation
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshRuntime

/// Issue 24, points 4 and 5: `originate` sets `$call`; `expect call ID reaches EVENT` and
/// `expect events A -> B for ID` check one call's events; a wait that times out says why the
/// event may not have come (what the listener rejected, what Simotel's documentation says).
@Suite(.timeLimit(.minutes(3))) struct CallChecksTests {
    /// One event as the listener keeps it.
    static func event(_ sequence: Int, _ name: String, _ fields: [(String, String)]) -> ReceivedEvent {
        var members: [(String, JSONValue)] = [("event_name", .string(name))]
        for (key, value) in fields { members.append((key, .string(value))) }
        return ReceivedEvent(
            sequence: sequence, receivedAt: Date(), remoteAddress: "127.0.0.1:1", method: "POST", uri: "/",
            suffix: "/", variant: "G4/POST", name: name, payload: LazyJSON(.object(members)),
            contentType: "application/json", body: [], reply: nil)
    }

    @Test func aCallsEventsAreJoinedByItsIdsInAnyOrder() {
        let ringing = Self.event(1, "NewState", [("exten", "101"), ("state", "Ringing"), ("unique_id", "100.1")])
        let other = Self.event(2, "NewState", [("exten", "555"), ("cuid", "200.1")])
        let incoming = Self.event(
            3, "IncomingCall", [("unique_id", "100.1"), ("originated_call_id", "orig.call.1.2")])
        var call = CallMembership(id: "orig.call.1.2")
        // The NewState came first: it is the call's once the IncomingCall names its unique id.
        #expect(!call.contains(ringing) && call.contains(incoming))
        let learnt = call.learn(incoming)
        let again = call.learn(incoming)
        #expect(learnt && !again)
        #expect(call.contains(ringing) && !call.contains(other))
        // By the unique id itself, under either of its names.
        #expect(CallMembership(id: "200.1").contains(other) && CallMembership(id: "100.1").contains(ringing))

        var scan = CallScan(CallMembership(id: "orig.call.1.2"), from: 2, limit: 100)
        scan.add([ringing, other])
        #expect(scan.belonging.isEmpty)
        scan.add([incoming])
        // #1 is before the window: it taught nothing and is not counted; #2 is another call's.
        #expect(scan.belonging.map(\.sequence) == [3] && scan.others.map(\.sequence) == [2])
    }

    @Test func originateSetsCallAndItsEventsPassTheChecks() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        let script = """
            originate caller=101 callee=102 context=main_routing caller_id=101
            expect $call == $response.data.originated_call_id
            expect call $call reaches NewState --where state=InUse within 20s
            expect $event.state == "InUse" and $event.exten == "101"
            expect call $call reaches Cdr within 20s
            expect $event.disposition == "ANSWERED" and $event.originated_call_id == $call
            expect events NewState -> Cdr for $call within 10s
            expect events NewState -> IncomingCall -> NewState -> Cdr for $call within 10s
            expect $event.event_name == "Cdr"
            set call other
            expect $call == "other"
            """
        #expect(await t.run(script) == 0, "\(t.sink.all)")
        // The issue's own check, right after a second call: only that call's events count.
        let again = """
            originate caller=101 callee=09121234567 context=main_routing caller_id=101
            expect events NewState -> Cdr for $call within 20s
            expect $event.dst == "09121234567" and $event.originated_call_id == $call
            """
        #expect(await t.run(again) == 0, "\(t.sink.all)")
        await t.session.close()
    }

    @Test func noCdrWhenTheFirstPartyDoesNotAnswerIsSaid() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        let script = """
            simulate outcome 9999 no-answer
            originate caller=9999 callee=102 context=main_routing caller_id=9999
            expect call $call reaches Cdr within 3s
            """
        #expect(await t.run(script) == 1, "\(t.sink.all)")
        let err = t.sink.standardError
        #expect(err.contains("test.simsh:3:8: expect failed: call orig.call."), "\(err)")
        // Its NewStates carry only unique_id, which no event of the call names: they are not the call's.
        #expect(err.contains("reaches Cdr within 3s (actual: nothing arrived for that call; other events: NewState #"))
        #expect(
            err.contains(
                "\n  note: Simotel sends no Cdr when the first party does not answer (api-v4.md: originate)\n"),
            "\(err)")
        // The demo's simulator sends every event: no note about Simotel's API Settings.
        #expect(!err.contains("ticked"), "\(err)")
        await t.session.close()
    }

    @Test func aSequenceOutOfOrderFailsAndListsWhatArrivedForTheCall() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        let script = """
            originate caller=101 callee=102 context=main_routing caller_id=101
            expect call $call reaches Cdr within 20s
            expect events Cdr -> NewState for $call within 1s
            """
        #expect(await t.run(script) == 1, "\(t.sink.all)")
        let err = t.sink.standardError
        let pattern =
            #"test\.simsh:3:8: expect failed: events Cdr -> NewState for orig\.call\.\d+\.\d+ within 1s "#
            + #"\(actual: for that call arrived NewState #\d+ \d\d:\d\d:\d\d\.\d\d\d, NewState #\d+ [0-9:.]+, "#
            + #"IncomingCall #\d+ [0-9:.]+, .*Cdr #(\d+) [0-9:.]+; no NewState after Cdr #\d+\)"#
        #expect(err.range(of: pattern, options: .regularExpression) != nil, "\(err)")
        #expect(err.contains("    expect events Cdr -> NewState for $call within 1s\n"), "\(err)")
        await t.session.close()
    }

    @Test func malformedCallChecksAreSyntaxErrorsBeforeAnythingRuns() async throws {
        let t = TestSession()
        #expect(await t.run("echo ran\nexpect events NewState -> for x within 1s") == 2)
        #expect(t.sink.standardError.contains("test.simsh:2:24: error: '->' with no event name after it"))
        #expect(!t.sink.standardOutput.contains("ran"), "\(t.sink.all)")
        #expect(await t.run("expect call $call reaches Cdr") == 2)
        #expect(t.sink.standardError.contains("test.simsh:1:1: error: expect call needs 'within DURATION' at its end"))
        #expect(await t.run("expect call x reaches Cdr within soon") == 2)
        #expect(t.sink.standardError.contains("test.simsh:1:34: error: 'soon' is not a duration"))
        // Without a listener, a call check says how to start one.
        #expect(await t.run("expect call x reaches Cdr within 1s") == 2)
        #expect(t.sink.standardError.contains("not listening"), "\(t.sink.standardError)")
        await t.session.close()
    }

    @Test func aWaitThatTimesOutNamesWhatTheListenerRejected() async throws {
        let t = TestSession(environment: ["HOOK_PW": "s3cret-pw"])
        #expect(await t.run("listen events --user u --password-env HOOK_PW") == 0, "\(t.sink.all)")
        let url = try #require(t.session.listener?.url)
        let waiting = Task { await t.run("wait event Cdr --timeout 3s") }
        try await Task.sleep(for: .milliseconds(300))
        let wrong = "Basic " + Data("u:not-the-password".utf8).base64EncodedString()
        #expect(
            try await TestHTTP.send(url, headers: TestHTTP.json + [("Authorization", wrong)], body: pingBody(1)) == 401)
        #expect(await waiting.value == 1, "\(t.sink.all)")
        let note =
            #"\n  note: the listener rejected POST / from 127\.0\.0\.1:\d+ at \d\d:\d\d:\d\d: "#
            + #"401: wrong password for user 'u'\n"#
        let err = t.sink.standardError
        #expect(err.contains("error: no Cdr event within 3s; nothing arrived\n"), "\(err)")
        #expect(err.range(of: note, options: .regularExpression) != nil, "\(err)")
        #expect(
            err.contains(
                "\n  note: Simotel sends Cdr only when it is ticked in the Events list of its API Settings "
                    + "(webhooks.md §2.1)"), "\(err)")

        // expect event and expect call say the same, after the check's own line.
        #expect(await t.run("expect event Cdr within 300ms") == 1)
        let expectEvent =
            #"expect failed: event Cdr within 300ms \(actual: no Cdr event within 300ms; nothing arrived\)"#
        #expect(t.sink.standardError.range(of: expectEvent + note, options: .regularExpression) != nil)
        #expect(await t.run("expect call orig.call.1.2 reaches Cdr within 300ms") == 1)
        let expectCall = #"expect failed: call orig\.call\.1\.2 reaches Cdr within 300ms \(actual: nothing arrived\)"#
        #expect(t.sink.standardError.range(of: expectCall + note, options: .regularExpression) != nil)

        // No component request came: the dialplan may have no API component.
        #expect(await t.run("wait request menu --timeout 300ms") == 1)
        #expect(
            t.sink.standardError.contains(
                "\n  note: no component request comes when the dialplan has no API component (webhooks.md §6.1)"))
        #expect(!t.sink.all.contains("s3cret-pw"))
        await t.session.close()
    }
}
