import Foundation
import HTTPServerKit
import SimotelSimulator
import SimshTesting
import Testing

@testable import SimotelKit
@testable import SimshRuntime

/// Issue 23, point 6: errors that say what was sent (401), where it went (404) and which scheme
/// the server speaks (http:// to a TLS port).
extension RealPBXTests {
    @Test func a401SaysWhichCredentialsWereSentButNotTheSecrets() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let t = TestSession()
        #expect(await t.run("connect \(url) --user test --password wrong-pass-99 --api-key wrong-key-77\nping") == 4)
        let sent =
            "HTTP 401: BasicAuth or ApiKey is invalid; sent Authorization: Basic for user 'test' and X-APIKEY"
            + " (auth both)"
        #expect(t.sink.standardError.contains("ping failed: " + sent), "\(t.sink.standardError)")
        #expect(await t.run("users search alike=true") == 4)
        #expect(t.sink.standardError.contains("users search failed: " + sent), "\(t.sink.standardError)")
        // Not the secrets, not even masked.
        let basic = Data("test:wrong-pass-99".utf8).base64EncodedString()
        for secret in ["wrong-pass-99", "wrong-key-77", basic, "****"] { #expect(!t.sink.all.contains(secret)) }
        await t.session.close()
        let key = TestSession()
        #expect(await key.run("connect \(url) --auth key --api-key wrong-key-77\nping") == 4)
        #expect(key.sink.standardError.contains("is invalid; sent X-APIKEY (auth key)"), "\(key.sink.standardError)")
        await key.session.close()
        let none = TestSession()
        #expect(await none.run("connect \(url)\nping") == 4)
        #expect(none.sink.standardError.contains("is missing; sent no credentials (no user, no API key)"))
        await none.session.close()
        await sim.stop()
    }

    @Test func a404SaysTheURLRequested() async throws {
        let json = RecordingServer(status: { _ in 404 })
        let url = try await json.start()
        let t = TestSession()
        #expect(await t.run("connect \(url)/pbx\nping") == 4)
        #expect(
            t.sink.standardError.contains("ping failed: HTTP 404: m; requested PUT \(url)/pbx/api/v4/setting/ping/act"),
            "\(t.sink.standardError)")
        await t.session.close()
        // A web server's own page (not JSON), for an API command.
        let page = HTTPServer { _ in .text(404, "<html><body>Not Found</body></html>") }
        let port = try await page.start(host: "127.0.0.1", port: 0)
        let u = TestSession()
        #expect(await u.run("connect http://127.0.0.1:\(port)\nusers search alike=true") == 4)
        let error = u.sink.standardError
        #expect(error.contains("users search: HTTP 404: no such service; requested "), "\(error)")
        #expect(error.contains(" http://127.0.0.1:\(port)/api/v4/pbx/users/search"), "\(error)")
        await u.session.close()
        await page.stop()
        await json.server.stop()
    }

    @Test func plainHTTPToATLSPortSaysTryHTTPS() async throws {
        let ca = try PrivateCA()
        let server = try await TLSTestServer(ca)
        let t = TestSession()
        #expect(await t.run("connect http://127.0.0.1:\(server.port) --timeout 30\nping") == 3)
        let error = t.sink.standardError
        #expect(error.contains("the server speaks TLS on this port: try https://127.0.0.1:\(server.port)"), "\(error)")
        #expect(error.split(separator: "\n").count == 1, "\(error)")
        await t.session.close()
        await server.stop()
        // nginx answers a plain request on its TLS port with a 400 page that says so.
        let nginx = HTTPServer { _ in
            .text(400, "<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>")
        }
        let port = try await nginx.start(host: "127.0.0.1", port: 0)
        let n = TestSession()
        #expect(await n.run("connect http://127.0.0.1:\(port)\nping") == 4)
        let words = "ping failed: HTTP 400: the server speaks TLS on this port: try https://127.0.0.1:\(port)"
        #expect(n.sink.standardError.contains(words), "\(n.sink.standardError)")
        await n.session.close()
        await nginx.stop()
    }
}
