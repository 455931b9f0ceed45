import AsyncHTTPClient
import Foundation
import NIOCore
import SimotelKit
import SimotelSimulator
import SimshTesting
import Testing

/// The simulator answers as api-v4.md §3, §4, §6 and §8.1 document.
@Suite struct SimulatorTests {
    struct Answer {
        var status: Int
        var success: Int?
        var message: String?
    }

    static func request(_ url: String, method: String = "PUT", headers: [(String, String)] = [], body: String? = "{}")
        async throws -> Answer
    {
        var r = HTTPClientRequest(url: url)
        r.method = .init(rawValue: method)
        for (k, v) in headers { r.headers.add(name: k, value: v) }
        if let body { r.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(r, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let env = (try? JSONValue.parse(Array(bytes.readableBytesView))).flatMap(SimotelEnvelope.init(json:))
        return Answer(status: Int(response.status.code), success: env?.success, message: env?.message)
    }

    static let sample = SimotelCredentials.documentationSample
    static let good: [(String, String)] = [
        ("Authorization", "Basic dGVzdDpBYTEyMzQ1Ng=="), ("X-APIKEY", sample.apiKey!),
        ("Content-Type", "application/json"),
    ]

    func withSimulator(_ config: SimulatorConfiguration = .init(), _ body: (String) async throws -> Void) async throws {
        let sim = SimotelSimulator(configuration: config)
        let url = try await sim.start()
        do { try await body(url) } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    @Test func pingAsDocumented() async throws {
        try await withSimulator { url in
            let a = try await Self.request(url + "/api/v4/setting/ping/act", headers: Self.good)
            #expect(a.status == 200)
            #expect(a.success == 1)
            #expect(
                a.message == "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent")
            // curl's sample sends an empty body; the Basic token may lack its padding.
            let b = try await Self.request(
                url + "/api/v4/setting/ping/act",
                headers: [
                    ("Authorization", "Basic dGVzdDpBYTEyMzQ1Ng"), ("X-APIKEY", Self.sample.apiKey!),
                    ("Content-Type", "application/json"),
                ], body: "")
            #expect(b.status == 200)
        }
    }

    @Test func errorStatusesAndMessages() async throws {
        try await withSimulator { url in
            let ping = url + "/api/v4/setting/ping/act"
            var a = try await Self.request(ping, headers: [("Content-Type", "application/json")])
            #expect((a.status, a.message) == (401, "BasicAuth or ApiKey is missing"))
            a = try await Self.request(ping, headers: [("Authorization", "Basic dGVzdDpBYTEyMzQ1Ng==")])
            #expect((a.status, a.message) == (401, "BasicAuth or ApiKey is invalid"))
            a = try await Self.request(
                ping, headers: [("Authorization", "Basic eDp5"), ("X-APIKEY", Self.sample.apiKey!)])
            #expect((a.status, a.message) == (401, "BasicAuth or ApiKey is invalid"))
            a = try await Self.request(ping, method: "POST", headers: Self.good)
            #expect((a.status, a.success, a.message) == (405, 0, "Method not allowed"))
            a = try await Self.request(
                ping, headers: Self.good.dropLast() + [("Content-Type", "text/plain")], body: "hi")
            #expect((a.status, a.message) == (415, "Unsupported Media Type"))
            a = try await Self.request(ping, headers: Self.good, body: "{not json")
            #expect((a.status, a.message) == (400, "Unable to parse content"))
            a = try await Self.request(url + "/api/v4/pbx/nothing/here", method: "POST", headers: Self.good)
            #expect((a.status, a.message) == (501, "Requested service does not exist"))
            a = try await Self.request(url + "/index.php", headers: Self.good)
            #expect(a.status == 404)
            #expect(a.success == nil)
        }
    }

    @Test(arguments: [SimulatorConfiguration.PingMethod.put, .post, .any])
    func pingMethods(mode: SimulatorConfiguration.PingMethod) async throws {
        try await withSimulator(SimulatorConfiguration(pingMethod: mode)) { url in
            let put = try await Self.request(url + "/api/v4/setting/ping/act", method: "PUT", headers: Self.good)
            let post = try await Self.request(url + "/api/v4/setting/ping/act", method: "POST", headers: Self.good)
            #expect(put.status == (mode == .post ? 405 : 200))
            #expect(post.status == (mode == .put ? 405 : 200))
        }
    }

    @Test(arguments: [AuthMode.basic, .key])
    func authModes(mode: AuthMode) async throws {
        var creds = Self.sample
        creds.mode = mode
        try await withSimulator(SimulatorConfiguration(credentials: creds)) { url in
            let ping = url + "/api/v4/setting/ping/act"
            let basicOnly = try await Self.request(
                ping, headers: [("Authorization", "Basic dGVzdDpBYTEyMzQ1Ng=="), ("Content-Type", "application/json")])
            let keyOnly = try await Self.request(
                ping, headers: [("X-APIKEY", Self.sample.apiKey!), ("Content-Type", "application/json")])
            #expect(basicOnly.status == (mode == .basic ? 200 : 401))
            #expect(keyOnly.status == (mode == .key ? 200 : 401))
        }
    }

    @Test func sendsThePingEventWebhook() async throws {
        let receiver = RecordingServer()
        let hook = try await receiver.start()
        try await withSimulator(SimulatorConfiguration(eventsTo: hook + "/hooks/")) { url in
            _ = try await Self.request(url + "/api/v4/setting/ping/act", headers: Self.good)
            for _ in 0..<200 where receiver.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        }
        await receiver.server.stop()
        let r = try #require(receiver.requests.first)
        #expect(r.method == "POST")
        #expect(r.path == "/hooks/")
        #expect(r.header("Content-Type") == "application/json")
        #expect(try JSONValue.parse(r.body)["event_name"] == .string("Ping"))
    }
}
