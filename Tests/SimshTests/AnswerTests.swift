import Foundation
import HTTPServerKit
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshRuntime

/// The listener answers dialplan components from `answer` rules (issue 11, point 4), checked with
/// `component call` pointed at it, as Simotel would call it.
@Suite struct AnswerTests {
    @Test func rulesAnswerComponentsAndTheRestGetOkZero() async throws {
        let t = TestSession()
        #expect(await t.run("listen events") == 0)
        let url = try #require(t.session.listener?.url)
        let script = """
            answer smart s1 "PlayAnnouncement('welcome-file');GetData('enter-data-file', 10, 1);Exit('go-s2')"
            answer exten 'Extension API' extension=200
            answer ivr menu case=3
            answer trunk out trunk=NasimTrunk extension=09151412541 call_limit=300
            component call smart \(url) src=09155441 dst=789 --app-name s1 --cases go-s2 --timeout 20s
            expect $reply.ok == "1" and $reply.commands contains "GetData('enter-data-file', 10, 1)"
            wait request s1
            expect $event.src == "09155441" and $event.reply.commands contains "Exit('go-s2')"
            component call exten \(url) src=09155441 dst=31041000 --timeout 20s
            expect $reply.extension == "200"
            component call ivr \(url) data=3 --app-name menu --variant form --timeout 20s
            expect $reply.case == 3
            component call trunk \(url) --app-name out --variant get --timeout 20s
            expect $reply.call_limit == 300
            answers
            events --name Component
            """
        #expect(await t.run(script) == 0, "\(t.sink.all)")
        #expect(t.sink.standardOutput.contains("smart s1"))
        #expect(
            t.sink.standardOutput.contains("<-- Component [#1]  app_name=s1 src=09155441 dst=789"),
            "\(t.sink.standardOutput)")
        // No rule: {"ok":"0"}, JSON — a failed reply to Simotel, never text/plain.
        let before = t.sink.standardError
        #expect(
            await t.run("answer --remove menu\ncomponent call ivr \(url) data=3 --app-name menu --timeout 20s") == 1)
        #expect(t.sink.standardError.dropFirst(before.count).contains("\"ok\" is \"0\""), "\(t.sink.standardError)")
        // A listener that records only some events still answers components with JSON.
        let only = TestSession()
        #expect(await only.run("listen events --events Cdr\nanswer ivr menu case=1") == 0)
        let onlyURL = try #require(only.session.listener?.url)
        #expect(
            await only.run("component call ivr \(onlyURL) --app-name menu --timeout 20s\nexpect $reply.case == 1") == 0,
            "\(only.sink.all)")
        await only.session.close()
        // A rule's Smart API script is checked before it is set.
        #expect(await t.run("answer smart s2 \"MusicOnHold(‘default’, 60)\"") == 2)
        await t.session.close()
    }
}

extension AnswerTests {
    /// `answer KIND NAME --script FILE`: the script computes each reply from `$request` with
    /// `reply`; one that runs past 800 ms, fails or gives no reply is answered {"ok":"0"}.
    @Test func aRuleScriptComputesTheReplyFromTheRequest() async throws {
        let dir = TempDir()
        try """
        echo routing $request.data from $request.src
        if $request.data == "2"
          reply commands="PlayAnnouncement('route-b'); Exit('go-b')"
        else
          reply commands="Exit('go-a')"
        end
        """.write(toFile: dir.file("route.simsh"), atomically: true, encoding: .utf8)
        try "sleep 60s\nreply case=1\n".write(toFile: dir.file("slow.simsh"), atomically: true, encoding: .utf8)
        try "repeat 1000000000\n  set x = 1\nend\nreply case=1\n".write(
            toFile: dir.file("busy.simsh"), atomically: true, encoding: .utf8)
        try "echo no reply here\n".write(toFile: dir.file("silent.simsh"), atomically: true, encoding: .utf8)
        try "reply case=1 extension=5\n".write(toFile: dir.file("wrong.simsh"), atomically: true, encoding: .utf8)
        let t = TestSession()
        #expect(await t.run("listen events") == 0)
        let url = try #require(t.session.listener?.url)
        let script = """
            answer smart s2 --script \(dir.file("route.simsh")) --within 30s
            answer ivr slow --script \(dir.file("slow.simsh"))
            answer ivr busy --script \(dir.file("busy.simsh"))
            answer ivr silent --script \(dir.file("silent.simsh")) --within 30s
            answer ivr wrong --script \(dir.file("wrong.simsh")) --within 30s
            answers
            component call smart \(url) src=0915 data=2 --app-name s2 --cases go-a,go-b --timeout 20s
            expect $reply.commands == "PlayAnnouncement('route-b'); Exit('go-b')"
            component call smart \(url) src=0915 data=1 --app-name s2 --timeout 20s
            expect $reply.commands == "Exit('go-a')"
            wait request s2 --where data=1
            expect $event.reply.commands == "Exit('go-a')"
            """
        #expect(await t.run(script) == 0, "\(t.sink.all)")
        #expect(
            t.sink.standardOutput.split(separator: "\n").contains {
                $0.hasPrefix("smart s2 ") && $0.hasSuffix(" script \(dir.file("route.simsh"))")
            }, "\(t.sink.standardOutput)")
        #expect(t.sink.all.contains("[s2] routing 2 from 0915"), "\(t.sink.all)")
        for rule in ["slow", "busy", "silent", "wrong"] {
            let before = t.sink.standardError.count
            let start = ContinuousClock.now
            #expect(await t.run("component call ivr \(url) --app-name \(rule) --timeout 20s") == 1, "\(rule)")
            let said = String(t.sink.standardError.dropFirst(before))
            #expect(said.contains("\"ok\" is \"0\""), "\(rule): \(said)")
            if rule == "slow" || rule == "busy" {
                #expect(ContinuousClock.now - start < .seconds(30))  // the script sleeps 60 s, or loops
                #expect(said.contains("the rule for '\(rule)' took longer than 800 ms"), "\(said)")
                #expect(!said.contains("interrupted"), "\(said)")
            }
        }
        #expect(t.sink.standardError.contains("the rule for 'silent' gave no reply"))
        #expect(t.sink.standardError.contains("[wrong] "), "\(t.sink.standardError)")
        #expect(t.sink.standardError.contains("reply: 'extension' is not one of case=…"), "\(t.sink.standardError)")
        // reply outside a rule's script, and a script that is not there.
        #expect(await t.run("reply case=1") == 2)
        #expect(t.sink.standardError.contains("reply: only in an answer rule's script"))
        #expect(await t.run("answer ivr x --script \(dir.file("missing.simsh"))") == 2)
        await t.session.close()
    }

    /// Past the deadline the request is answered and warned of before the script is cancelled:
    /// a cancelled script ends at once, and its ending came first now and then (under load),
    /// answering `{"ok":"0"}` with no word of the deadline. Each of many late replies is warned of.
    @Test func everyLateReplyIsWarnedOf() async throws {
        let dir = TempDir()
        try "sleep 60s\nreply case=1\n".write(toFile: dir.file("slow.simsh"), atomically: true, encoding: .utf8)
        let t = TestSession()
        #expect(await t.run("listen events") == 0)
        let url = try #require(t.session.listener?.url)
        #expect(await t.run("answer ivr slow --script \(dir.file("slow.simsh")) --within 20ms") == 0)
        for i in 0..<25 {
            let before = t.sink.standardError.count
            #expect(await t.run("component call ivr \(url) --app-name slow --timeout 20s") == 1)
            let said = String(t.sink.standardError.dropFirst(before))
            #expect(said.contains("the rule for 'slow' took longer than 20 ms"), "call \(i): \(said)")
        }
        await t.session.close()
    }

    /// A connection waiting for a reply computed later is not idle: the idle timeout counts from
    /// its last answer (a starved pool once made a 300 ms reply outlast the 10 s idle timeout,
    /// and the connection was closed with nothing written).
    @Test func aConnectionWaitingForItsReplyIsNotIdle() async throws {
        let listener = WebhookListener(
            configuration: ListenerConfiguration(
                limits: ServerLimits(maxBodyBytes: 1 << 20, idleTimeoutSeconds: 0.3, requestTimeoutSeconds: 30)))
        listener.componentAnswer = { _ in
            .compute(rule: "slow", within: .seconds(30)) {
                try? await Task.sleep(for: .milliseconds(1500))
                return .object([("ok", .string("1")), ("case", .string("4"))])
            }
        }
        try await listener.start()
        let component = #"{"src":"1","dst":"2","data":"","unique_id":"u","app_name":"slow"}"#
        let connection = try RawConnection(port: listener.port!)
        connection.send(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: \(component.utf8.count)\r\n\r\n\(component)")
        let answers = await connection.readUntilClosedOffThePool(within: 60)
        #expect(answers.hasSuffix(#"{"ok":"1","case":"4"}"#), "\(answers)")
        await listener.stop()
    }

    /// A reply computed later still goes out before the answers to the requests after it on
    /// the same connection (pipelined).
    @Test func aComputedReplyKeepsItsPlaceOnItsConnection() async throws {
        let listener = try await ListenerProbeTests.lateReplies(case: "7")
        let component = #"{"src":"1","dst":"2","data":"","unique_id":"u","app_name":"late"}"#
        let event = #"{"event_name":"NewState","exten":"1"}"#
        func post(_ body: String) -> String {
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        let connection = try RawConnection(port: listener.port!)
        connection.send(post(component) + post(event) + "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let answers = await connection.readUntilClosedOffThePool(within: 60)
        let reply = try #require(answers.range(of: #"{"ok":"1","case":"7"}"#), "\(answers)")
        let ok = try #require(answers.range(of: "\r\n\r\nok\n"), "\(answers)")
        #expect(reply.lowerBound < ok.lowerBound, "\(answers)")
        #expect(answers.hasSuffix("no event fields\n"), "\(answers)")
        await listener.stop()
        #expect(listener.store.all.map(\.name) == ["NewState", "Component"])
    }
}

@Suite struct EventClockTests {
    /// The clock shown beside each event (built without DateFormatter, which is slow) says what
    /// DateFormatter says, in local time, for times across a day and a year.
    @Test func theEventClockIsLocalTimeWithMilliseconds() {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss.SSS"
        f.locale = Locale(identifier: "en_US_POSIX")
        for t in [0.0, 1_700_000_000.004, 1_700_040_123.5, 1_720_000_000.999, 1_735_689_599.25] {
            let date = Date(timeIntervalSince1970: t)
            #expect(Session.clockTime(date) == f.string(from: date), "\(t)")
        }
        #expect(ReceivedEvent.timestamp(Date(timeIntervalSince1970: 1_616_284_800.012)) == "2021-03-21T00:00:00.012Z")
    }
}
