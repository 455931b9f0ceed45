import Foundation
import SimotelSimulator
import Testing

/// `simulate outcome` (issue 23, point 9): how the demo simulator's calls to or from a number end.
@Suite struct SimulateOutcomeTests {
    @Test func setsHowTheDemosCallsEndAndTheCdrSaysSo() async throws {
        let plain = TestSession()
        #expect(await plain.run("simulate outcome 101 busy") == 2)
        #expect(plain.sink.standardError.contains("no simulator runs in this session"), "\(plain.sink.all)")

        let t = TestSession()
        try await t.session.startDemo()
        #expect(await t.run("simulate outcome") == 0)
        #expect(t.sink.standardOutput.contains("199  no-answer (NO ANSWER)\nany other number: answered"))
        #expect(await t.run("simulate outcome 09121234567 busy") == 0, "\(t.sink.all)")
        #expect(t.sink.standardOutput.contains("calls to or from 09121234567 end busy (BUSY)"))
        #expect(t.session.embeddedSimulator?.outcome(for: "09121234567") == .busy)
        #expect(await t.run("simulate outcome 101 maybe") == 2)
        let script = """
            originate caller=101 callee=09121234567 context=main_routing caller_id=101
            wait event Cdr --where dst=09121234567 --timeout 10s
            expect $event.disposition == "BUSY" and $event.billsec == 0
            simulate outcome 09121234567 answered
            simulate outcome 09121234567
            """
        #expect(await t.run(script) == 0, "\(t.sink.all)")
        #expect(t.sink.standardOutput.contains("calls to or from 09121234567 end answered (ANSWERED)"))
        await t.session.close()
        await plain.session.close()
    }
}
