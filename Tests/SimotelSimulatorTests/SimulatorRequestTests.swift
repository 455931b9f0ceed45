import Foundation
import SimotelKit
import SimotelSimulator
import SimshTesting
import Synchronization
import Testing

/// What a CRM meets (issue 23, point 9): a JSON body that is not an object (`[]`, the official PHP
/// SDK's body for every call without data, or `null`) is `{}`; `--verbose` logs one line per
/// request; the demo's queue and agent reports have rows.
@Suite struct SimulatorRequestTests {
    typealias Answer = SimulatorTests.Answer

    /// The PHP SDK's ping, exactly: `connect('setting/ping/act')` is a POST with the body `[]`,
    /// Content-Type application/json, Basic credentials and X-APIKEY.
    @Test func thePHPSDKsPingWithAnEmptyArrayBody() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration(pingMethod: .any))
        let url = try await sim.start()
        let ping = url + "/api/v4/setting/ping/act"
        let sdk = try? await SimulatorTests.request(ping, method: "POST", headers: SimulatorTests.good, body: "[]")
        let null = try? await SimulatorTests.request(ping, method: "PUT", headers: SimulatorTests.good, body: "null")
        await sim.stop()
        #expect(sdk?.status == 200 && sdk?.success == 1, "\(String(describing: sdk))")
        #expect(sdk?.message?.hasPrefix("If the 'Ping' event is enabled") == true)
        #expect(null?.status == 200 && null?.success == 1)
    }

    /// A service with required fields answers which is missing, as for `{}`; one without answers.
    @Test func nonObjectBodiesAreTakenAsAnEmptyObject() async throws {
        try await withSimulator { _, client in
            for body in ["[]", "null", " [ ] "] {
                for path in ["call/originate/act", "reports/cdr/search", "pbx/users/add"] {
                    let spec = try #require(EndpointCatalog.endpoint(path: path))
                    let first = try #require(spec.fields.first { $0.need == .required })
                    let r = try await client.send(method: "POST", path: path, body: Array(body.utf8))
                    #expect(r.status == 200, "\(path) \(body)")
                    #expect(r.envelope?.success == 0, "\(path) \(body)")
                    #expect(r.envelope?.message == "Field '\(first.name)':value is missing", "\(path) \(body)")
                }
                let ordered = try await client.send(
                    method: "POST", path: "reports/cdr/ordered/id", body: Array(body.utf8))
                #expect(ordered.status == 200 && ordered.envelope?.success == 1, "\(body)")
            }
            let broken = try await client.send(method: "POST", path: "reports/cdr/ordered/id", body: Array("[".utf8))
            #expect(broken.status == 400)
        }
    }

    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// One line per request: method, path (not the query), status, time in ms; never a secret.
    @Test func verboseLogsEachRequestOnOneLine() async throws {
        let log = Lines()
        let sim = SimotelSimulator(configuration: SimulatorConfiguration(requestLog: { log.add($0) }))
        let url = try await sim.start()
        let ping = url + "/api/v4/setting/ping/act"
        var answers: [Answer?] = []
        answers.append(try? await SimulatorTests.request(ping, headers: SimulatorTests.good))
        answers.append(try? await SimulatorTests.request(ping, method: "POST", headers: SimulatorTests.good))
        answers.append(
            try? await SimulatorTests.request(
                ping + "?token=querysecret", headers: [("Authorization", "Basic eDp5"), ("X-APIKEY", "keysecret")]))
        await sim.stop()
        #expect(answers.map { $0?.status } == [200, 405, 401])
        let lines = log.all
        #expect(lines.count == 3, "\(lines)")
        let expected = [
            "PUT /api/v4/setting/ping/act 200", "POST /api/v4/setting/ping/act 405", "PUT /api/v4/setting/ping/act 401",
        ]
        for (line, start) in zip(lines, expected) {
            #expect(line.hasPrefix(start + " ") && line.hasSuffix(" ms"), "\(line)")
            let ms = line.dropFirst(start.count + 1).dropLast(3)
            #expect(Double(ms).map { $0 >= 0 } == true, "\(line)")
        }
        let secrets = [
            SimulatorTests.sample.apiKey!, "Aa123456", "dGVzdDpBYTEyMzQ1Ng", "querysecret", "keysecret", "eDp5",
        ]
        for secret in secrets { #expect(!lines.joined().contains(secret)) }
    }

    /// The demo's report searches have rows: queue statistics and details for its answered queue
    /// calls (and quick info by their cuid), and the agents' time in queue 900.
    @Test func theDemoSeedsQueueAndAgentReports() async throws {
        try await withSimulator(seedDemo: true) { _, client in
            func rows(_ path: String, _ conditions: String = "{}") async throws -> [JSONValue] {
                let body =
                    #"{"alike":"true","conditions":\#(conditions),"#
                    + #""date_range":{"from":"2000-01-01 00:00","to":"2100-01-01 00:00"},"#
                    + #""pagination":{"start":0,"count":100,"sorting":{}}}"#
                let r = try await client.send(method: "POST", path: path, body: Array(body.utf8))
                #expect(r.envelope?.success == 1, "\(path)")
                guard case .array(let rows)? = r.envelope?.data["data"] else { return [] }
                return rows
            }
            let queue = try await rows("reports/queue/search", #"{"qnum":"900"}"#)
            #expect(queue.count == 2)
            #expect(queue.allSatisfy { $0["disposition"]?.stringValue == "ANSWERED" && $0["cuid"] != nil })
            let details = try await rows("reports/queue_details/search", #"{"queue":"900"}"#)
            #expect(details.count == 3)
            #expect(
                details.contains { $0["disposition"]?.stringValue == "NO ANSWER" && $0["dst"]?.stringValue == "101" })
            let agents = try await rows("reports/agent/search", #"{"exten":"102"}"#)
            #expect(agents.count == 2 && agents.allSatisfy { $0["type"]?.stringValue == "inout" })
            #expect(try await rows("reports/queue/search", #"{"qnum":"901"}"#).isEmpty)
            let cuid = try #require(queue.first?["cuid"]?.stringValue)
            let info = try await client.send(
                method: "POST", path: "reports/quick/info", body: Array(#"{"cuid":"\#(cuid)"}"#.utf8))
            guard case .array(let tries)? = info.envelope?.data else {
                Issue.record("no quick info rows")
                return
            }
            #expect(!tries.isEmpty && tries.allSatisfy { $0["type"]?.stringValue == "queue_report" })
            let cdr = try await rows("reports/cdr/search", #"{"cuid":"\#(cuid)"}"#)
            #expect(cdr.first?["dst"]?.stringValue == "900")
        }
    }
}
