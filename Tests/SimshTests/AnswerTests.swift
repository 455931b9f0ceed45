import Foundation
import SimotelKit
import SimotelWebhooks
import Testing

@testable import SimshCore

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
