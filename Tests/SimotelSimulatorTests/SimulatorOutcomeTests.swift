import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimotelSimulator

/// Calls that end ANSWERED, NO ANSWER, BUSY or FAILED (issue 23, point 9): NewState,
/// IncomingCall/OutgoingCall and the Cdr follow the outcome of the numbers called; no Cdr when
/// an originated call's first party does not answer (api-v4.md §8.2.1).
@Suite struct SimulatorOutcomeTests {
    /// What a receiver got from one originated call, and the CDR rows the simulator then holds.
    struct Played {
        /// One short line per event, in order: `NewState 101 Ringing`, `IncomingCall`, `Cdr BUSY 0`.
        var events: [String]
        var cdr: JSONValue?
        var rows: [JSONValue]
    }

    static func play(
        caller: String, callee: String, outcomes: [String: CallOutcome] = [:], seedDemo: Bool = false
    ) async throws -> Played {
        let receiver = RecordingServer()
        let hook = try await receiver.start()
        let sim = SimotelSimulator(
            configuration: SimulatorConfiguration(eventsTo: hook + "/", seedDemo: seedDemo, outcomes: outcomes))
        let url = try await sim.start()
        let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
        let body = #"{"caller":"\#(caller)","callee":"\#(callee)","context":"main_routing","caller_id":"100"}"#
        let answer = try? await client.send(method: "POST", path: "call/originate/act", body: Array(body.utf8))
        await client.shutdown()
        // Stopping lets the call end and delivers its events, in order.
        await sim.stop()
        await receiver.server.stop()
        let id = try #require(answer?.envelope?.data["originated_call_id"]?.stringValue)
        let events = receiver.requests.compactMap { try? JSONValue.parse($0.body) }
        let cdr = events.first { $0["event_name"]?.stringValue == "Cdr" }
        if let cdr { #expect(cdr["originated_call_id"]?.stringValue == id) }
        let seeded = seedDemo ? 7 : 0
        return Played(
            events: events.map(Self.line), cdr: cdr, rows: Array(sim.store.all("reports/cdr").dropFirst(seeded)))
    }

    static func line(_ e: JSONValue) -> String {
        let name = e["event_name"]?.stringValue ?? "?"
        switch name {
        case "NewState": return "NewState \(e["exten"]?.displayText ?? "") \(e["state"]?.displayText ?? "")"
        case "Cdr": return "Cdr \(e["disposition"]?.displayText ?? "") \(e["billsec"]?.displayText ?? "-")"
        default: return name
        }
    }

    static let calleeSequences: [(CallOutcome, [String])] = [
        (
            .answered,
            [
                "NewState 101 Ringing", "NewState 101 InUse", "IncomingCall", "NewState 102 Ringing",
                "NewState 102 InUse", "NewState 101 Idle", "NewState 102 Idle", "Cdr ANSWERED 1",
            ]
        ),
        (
            .noAnswer,
            [
                "NewState 101 Ringing", "NewState 101 InUse", "IncomingCall", "NewState 102 Ringing",
                "NewState 102 Idle", "NewState 101 Idle", "Cdr NO ANSWER 0",
            ]
        ),
        (.busy, ["NewState 101 Ringing", "NewState 101 InUse", "IncomingCall", "NewState 101 Idle", "Cdr BUSY 0"]),
        (
            .failed,
            ["NewState 101 Ringing", "NewState 101 InUse", "IncomingCall", "NewState 101 Idle", "Cdr FAILED 0"]
        ),
    ]

    @Test(arguments: SimulatorOutcomeTests.calleeSequences)
    func theCalleesOutcomeShapesTheEventsAndTheCdr(outcome: CallOutcome, expected: [String]) async throws {
        let played = try await Self.play(caller: "101", callee: "102", outcomes: ["102": outcome])
        #expect(played.events == expected)
        let cdr = try #require(played.cdr)
        let answered = outcome == .answered
        #expect((cdr["record"] != nil) == answered, "only an answered call is recorded")
        #expect(cdr["billsec"]?.intValue == (answered ? 1 : 0))
        let row = try #require(played.rows.first)
        #expect(played.rows.count == 1)
        #expect(row["disposition"]?.stringValue == outcome.disposition)
        #expect(row[outcome.disposition] == .number(1))
        #expect(row["billsec"]?.intValue == (answered ? 1 : 0))
        #expect((row["answer"]?.stringValue ?? "").isEmpty == !answered)
        #expect(row["originated_call_id"]?.stringValue == cdr["originated_call_id"]?.stringValue)
    }

    /// The first party is rung first: unless it answers, the call ends there, with no
    /// IncomingCall/OutgoingCall, no Cdr and no CDR row.
    static let callerSequences: [(CallOutcome, [String])] = [
        (.noAnswer, ["NewState 101 Ringing", "NewState 101 Idle"]), (.busy, []), (.failed, []),
    ]

    @Test(arguments: SimulatorOutcomeTests.callerSequences)
    func noCdrWhenTheCallerDoesNotAnswer(outcome: CallOutcome, expected: [String]) async throws {
        let played = try await Self.play(caller: "101", callee: "09121234567", outcomes: ["101": outcome])
        #expect(played.events == expected)
        #expect(played.cdr == nil)
        #expect(played.rows.isEmpty)
    }

    @Test func anExternalNumberThatIsBusyIsDialledAndEndsBusy() async throws {
        let played = try await Self.play(caller: "101", callee: "09121234567", outcomes: ["09121234567": .busy])
        #expect(
            played.events == [
                "NewState 101 Ringing", "NewState 101 InUse", "OutgoingCall", "NewState 101 Idle", "Cdr BUSY 0",
            ])
        #expect(played.cdr?["type"]?.stringValue == "outgoing")
    }

    /// The demo's extension 199 never answers; an outcome set later or given at the start wins.
    @Test func theDemosExtension199NeverAnswers() async throws {
        let played = try await Self.play(caller: "101", callee: "199", seedDemo: true)
        #expect(
            played.events == [
                "NewState 101 Ringing", "NewState 101 InUse", "IncomingCall", "NewState 199 Ringing",
                "NewState 199 Idle", "NewState 101 Idle", "Cdr NO ANSWER 0",
            ])
        let sim = SimotelSimulator(configuration: SimulatorConfiguration(seedDemo: true))
        #expect(sim.outcome(for: "199") == .noAnswer)
        #expect(sim.store.all("pbx/users").contains { $0["number"]?.stringValue == "199" })
        sim.setOutcome(.busy, for: " 555 ")
        #expect(sim.outcome(for: "555") == .busy)
        sim.setOutcome(.answered, for: "199")
        #expect(sim.outcomes == ["555": .busy])
        let given = SimotelSimulator(
            configuration: SimulatorConfiguration(seedDemo: true, outcomes: ["199": .answered]))
        #expect(given.outcome(for: "199") == .answered)
        #expect(SimotelSimulator(configuration: SimulatorConfiguration()).outcomes.isEmpty)
    }
}
