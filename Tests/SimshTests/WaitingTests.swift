import Foundation
import SimotelWebhooks
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshRuntime

/// Issue 23, point 7: `wait event --new` waits only for events that arrive after it starts,
/// `events use N` makes a kept event `$event`, and a long wait in a terminal says what it waits for.
@Suite struct WaitingTests {
    static func ping(exten: String) -> [UInt8] { Array(#"{"event_name":"Ping","exten":"\#(exten)"}"#.utf8) }

    @Test func newIgnoresAnEventKeptBeforeTheWaitAndTakesOneSentDuringIt() async throws {
        let t = TestSession()
        #expect(await t.run("listen events") == 0)
        let url = try #require(t.session.listener?.url)
        // Without --new, a wait takes the event the command before it brought (#1).
        let plain = "simulate event Ping exten=1\nwait event Ping --timeout 5s\nexpect $event.exten == \"1\""
        #expect(await t.run(plain) == 0, "\(t.sink.all)")
        // With --new, not that one (#2), and nothing new comes.
        #expect(await t.run("simulate event Ping exten=2\nwait event Ping --new --timeout 300ms") == 1)
        #expect(
            t.sink.standardError.contains("no new Ping event within 300ms; nothing arrived"), "\(t.sink.standardError)")
        // One sent while it waits is taken (#4), not the one the command before brought (#3).
        let waiting = Task {
            await t.run(
                "simulate event Ping exten=3\nwait event Ping --new --timeout 30s\nexpect $event.exten == \"4\"")
        }
        // The wait has started once its command has marked its start in the event stream: after #3.
        let deadline = Date().addingTimeInterval(20)
        while t.session.currentCommandMark < 4 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(t.session.currentCommandMark == 4)
        #expect(try await TestHTTP.send(url, headers: TestHTTP.json, body: Self.ping(exten: "4")) == 200)
        #expect(await waiting.value == 0, "\(t.sink.all)")
        #expect(await t.run("expect $event.seq == 4") == 0, "\(t.sink.all)")
        await t.session.close()
    }

    @Test func waitRequestTakesNewToo() async throws {
        let t = TestSession()
        #expect(await t.run("listen events\nanswer ivr menu case=1") == 0)
        let url = try #require(t.session.listener?.url)
        let call = "component call ivr \(url) data=1 --app-name menu --timeout 20s"
        #expect(await t.run("\(call)\nwait request menu --timeout 5s") == 0, "\(t.sink.all)")
        #expect(await t.run("\(call)\nwait request menu --new --timeout 300ms") == 1, "\(t.sink.all)")
        #expect(t.sink.standardError.contains("no new Component event"), "\(t.sink.standardError)")
        await t.session.close()
    }

    @Test func eventsUseMakesAKeptEventTheEventVariable() async throws {
        // The session's own numbers (no store): events clear forgets them.
        let t = TestSession(environment: ["SIMSH_STORE": "off"])
        let script = """
            listen events
            simulate event Ping exten=11
            simulate event Ping exten=12
            events use 1
            expect $event.exten == "11"
            expect $event.seq == 1
            events use 2
            expect $event.exten == "12"
            """
        #expect(await t.run(script) == 0, "\(t.sink.all)")
        // A number not arrived yet, or no longer kept, is said in words.
        #expect(await t.run("events use 3") == 2)
        #expect(t.sink.standardError.contains("no event #3 yet: the last is #2"), "\(t.sink.standardError)")
        #expect(await t.run("events use 0") == 2)
        #expect(t.sink.standardError.contains("no event #0: events are numbered from 1"), "\(t.sink.standardError)")
        #expect(await t.run("events clear\nevents use 1") == 2)
        #expect(t.sink.standardError.contains("event #1 is no longer kept"), "\(t.sink.standardError)")
        #expect(await t.run("expect $event.exten == \"12\"") == 0, "a failed events use keeps $event")
        await t.session.close()
    }
}

extension SpawningTests {
    /// The status line of a long wait in a real terminal (tmux, 80×24); never in a pipe.
    @Suite struct WaitingStatusTests {
        @Test func aLongWaitSaysWhatItWaitsForAndTheLineGoesWhenItEnds() async throws {
            let (t, url) = try TmuxSession.demoAt80x24()
            // Ctrl-C ends the wait, and the line goes.
            try t.type("wait event Transfer --timeout 60s")
            try t.press("Enter")
            #expect(t.waitForText("waiting for Transfer (60 s, Ctrl-C to stop)…"), "\(t.screen)")
            try t.press("C-c")
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(!t.screen.contains("waiting for"), "\(t.screen)")
            // The event it waits for ends it, and the line goes too.
            try t.type("wait event Ping --new --timeout 60s")
            try t.press("Enter")
            #expect(t.waitForText("waiting for Ping (60 s, Ctrl-C to stop)…"), "\(t.screen)")
            #expect(try await TestHTTP.send(url, headers: TestHTTP.json, body: pingBody(1)) == 200)
            #expect(t.waitForText("got Ping [#"), "\(t.screen)")
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(!t.screen.contains("waiting for"), "\(t.screen)")
            // A quick wait says nothing.
            try t.type("wait event Transfer --timeout 1s")
            try t.press("Enter")
            #expect(t.waitForText("no Transfer event within 1s"), "\(t.screen)")
            #expect(!t.screen.contains("waiting for"), "\(t.screen)")
        }

        @Test func noStatusLineWhenStandardErrorIsNotATerminal() throws {
            let r = try spawnSimsh(["--demo", "-c", "wait event Transfer --timeout 2500ms"], home: TempDir())
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.contains("no Transfer event within 2.5s"), "\(r.stderr)")
            #expect(!r.stderr.contains("waiting for") && !r.stderr.contains("\u{1B}") && !r.stderr.contains("\r"))
        }
    }
}
