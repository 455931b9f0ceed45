import HTTPServerKit
import SimshTesting
import Synchronization
import Testing

/// The NIO server on its own: bound on 127.0.0.1 port 0, requests answered by the handler with
/// what they carried, bodies over the limit refused before the handler sees them.
@Suite(.timeLimit(.minutes(2))) struct HTTPServerTests {
    @Test func answersWithWhatTheRequestCarriedAndRefusesLargeBodies() async throws {
        let rejected = Rejections()
        let server = HTTPServer(
            limits: ServerLimits(maxBodyBytes: 16), onRejected: { rejected.add($0.status) },
            handler: { request in
                ServerResponse.text(request.method == "POST" ? 201 : 200, "\(request.uri) \(request.body.count)")
            })
        let port = try await server.start(host: "127.0.0.1", port: 0)
        #expect(port > 0)
        let url = "http://127.0.0.1:\(port)"
        #expect(try await TestHTTP.send(url + "/a?b=1", method: "GET") == 200)
        #expect(try await TestHTTP.send(url + "/a", body: Array("0123456789".utf8)) == 201)
        #expect(try await TestHTTP.send(url + "/a", body: Array(repeating: 65, count: 17)) == 413)
        #expect(rejected.statuses == [413])
        await server.stop()
    }

    @Test func aPortInUseIsAnErrorInWords() async throws {
        let first = HTTPServer { _ in .ok }
        let port = try await first.start(host: "127.0.0.1", port: 0)
        let second = HTTPServer { _ in .ok }
        await #expect(throws: ServerStartError.self) { _ = try await second.start(host: "127.0.0.1", port: port) }
        await first.stop()
    }
}

/// The statuses the server refused with, in order.
final class Rejections: Sendable {
    private let box = Mutex<[Int]>([])
    func add(_ status: Int) { box.withLock { $0.append(status) } }
    var statuses: [Int] { box.withLock { $0 } }
}
