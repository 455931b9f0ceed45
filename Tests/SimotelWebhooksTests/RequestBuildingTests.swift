import Foundation
import HTTPServerKit
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

@Suite struct RequestBuildingTests {
    static let basic = "Basic " + Data("test:Aa123456".utf8).base64EncodedString()

    @Test(arguments: [
        (AuthMode.basic, true, false),
        (AuthMode.key, false, true),
        (AuthMode.both, true, true),
    ])
    func pingSendsTheHeadersOfTheMode(mode: AuthMode, wantsBasic: Bool, wantsKey: Bool) async throws {
        let server = RecordingServer()
        let url = try await server.start()
        let client = SimotelClient(
            connection: SimotelConnection(
                root: url,
                credentials: SimotelCredentials(user: "test", password: "Aa123456", apiKey: "KEY", mode: mode)))
        _ = try await client.ping()
        await client.shutdown()
        await server.server.stop()
        let r = try #require(server.requests.first)
        #expect(r.method == "PUT")
        #expect(r.uri == "/api/v4/setting/ping/act")
        #expect(r.header("Content-Type") == "application/json")
        #expect(String(decoding: r.body, as: UTF8.self) == "{}")
        #expect((r.header("Authorization") == Self.basic) == wantsBasic)
        #expect(r.header("Authorization") != nil || !wantsBasic)
        #expect((r.header("X-APIKEY") == "KEY") == wantsKey)
        #expect(r.header("X-APIKEY") == nil || wantsKey)
    }

    @Test func fallsBackToPostOnceOn405AndRemembers() async throws {
        let server = RecordingServer { $0.method == "PUT" ? 405 : 200 }
        let url = try await server.start()
        let client = SimotelClient(
            connection: SimotelConnection(root: url, credentials: SimotelCredentials(apiKey: "K")))
        let first = try await client.ping()
        let second = try await client.ping()
        await client.shutdown()
        await server.server.stop()
        #expect(first.switchedToPost)
        #expect(!second.switchedToPost)
        #expect(first.response.status == 200)
        #expect(server.requests.map(\.method) == ["PUT", "POST", "POST"])
        #expect(client.currentPingMethod == "POST")
    }

    @Test func unreachableIsATransportError() async throws {
        let port = closedPort()
        let client = SimotelClient(
            connection: SimotelConnection(root: "http://127.0.0.1:\(port)", credentials: .init(), timeout: 2))
        await #expect(throws: SimotelError.transport(url: "http://127.0.0.1:\(port)", reason: "connection refused")) {
            _ = try await client.ping()
        }
        await client.shutdown()
    }

    @Test func aServerThatDoesNotAnswerTimesOut() async throws {
        let slow = HTTPServer { _ in
            try? await Task.sleep(for: .seconds(5))
            return .text(200, "late")
        }
        let port = try await slow.start(host: "127.0.0.1", port: 0)
        let client = SimotelClient(
            connection: SimotelConnection(root: "http://127.0.0.1:\(port)", credentials: .init(), timeout: 0.5))
        await #expect(throws: SimotelError.transport(url: "http://127.0.0.1:\(port)", reason: "no answer within 0.5 s"))
        {
            _ = try await client.ping()
        }
        await client.shutdown()
        await slow.stop(grace: 0)
    }

    @Test func envelopeIsReadLeniently() throws {
        let e = try #require(SimotelEnvelope(json: try JSONValue.parse(#"{"success":"1","message":null,"data":[1]}"#)))
        #expect(e.success == 1)
        #expect(e.message == nil)
        let outlier = try #require(
            SimotelEnvelope(
                json: try JSONValue.parse(
                    #"{"status":"success","message":"User created successfully","user_id":"999"}"#)))
        #expect(outlier.success == 1)
        #expect(SimotelEnvelope(json: try JSONValue.parse("[]")) == nil)
    }

    @Test func credentialsDescriptionHidesSecrets() {
        let c = SimotelCredentials(user: "u", password: "hunter2", apiKey: "KEYVALUE")
        #expect(!"\(c)".contains("hunter2"))
        #expect(!"\(c)".contains("KEYVALUE"))
        #expect(c.mode == .both)
    }
}
