import AsyncHTTPClient
import Foundation
import NIOCore
import SimotelKit
import SimshTesting
import Testing

extension SpawningTests {
    /// `simsh simulator` as a CRM's tests run it (issue 23, point 9): the official PHP SDK's ping,
    /// `--verbose` request lines on stderr, `--outcome`.
    @Suite struct SimulatorProcessTests {
        static let key = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"

        /// The SDK's `connect('setting/ping/act')` request, exactly: POST, the body `[]` (PHP's
        /// json_encode of an empty array), Content-Type application/json, Basic credentials and
        /// X-APIKEY (`api_auth` both).
        @Test func thePHPSDKsPingWorksWithPingMethodAnyAndIsLogged() async throws {
            let home = TempDir()
            let child = try startSimsh(
                [
                    "simulator", "--port", "0", "--ping-method", "any", "--verbose", "--seed", "demo", "--outcome",
                    "555=busy",
                ], home: home)
            defer { child.stop() }
            let url = try #require(child.waitForOutput(#"http://127\.0\.0\.1:\d+"#), "\(child.stderr)")
            var request = HTTPClientRequest(url: url + "/api/v4/setting/ping/act")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            let basic = Data("test:Aa123456".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic " + basic)
            request.headers.add(name: "X-APIKEY", value: Self.key)
            request.body = .bytes(ByteBuffer(string: "[]"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            let answer = try JSONValue.parse(Array(body.readableBytesView))
            #expect(response.status.code == 200)
            #expect(answer["success"] == .number(1), "\(answer)")
            #expect(child.waitFor(timeout: 10) { child.stderr.contains("POST /api/v4/setting/ping/act 200 ") })
            let line = child.stderr.split(separator: "\n").first { $0.hasPrefix("POST /api/v4/setting/ping/act") }
            let pattern = #"^POST /api/v4/setting/ping/act 200 \d+\.\d ms$"#
            #expect(line?.range(of: pattern, options: .regularExpression) != nil, "\(child.stderr)")
            #expect(!child.stderr.contains(Self.key) && !child.stderr.contains("Aa123456"))
            #expect(child.stdout.contains("calls end: 199 no-answer, 555 busy"), "\(child.stdout)")
        }

        @Test func anOutcomeThatIsNoneIsAUsageError() throws {
            let r = try spawnSimsh(["simulator", "--outcome", "555=maybe"], home: TempDir())
            #expect(r.status == 2)
            #expect(r.stderr.contains("--outcome"), "\(r.stderr)")
        }
    }
}
