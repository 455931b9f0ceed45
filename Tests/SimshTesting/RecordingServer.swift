import Foundation
import HTTPServerKit

/// Records what reaches a server, answering like Simotel's ping.
package final class RecordingServer: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [ServerRequest] = []
    package let server: HTTPServer
    package var port = 0

    package init(status: @escaping @Sendable (ServerRequest) -> Int = { _ in 200 }) {
        let box = Box()
        server = HTTPServer { request in
            box.value?.append(request)
            let code = status(request)
            return .json(code, #"{"success":\#(code == 200 ? 1 : 0),"message":"m","data":null}"#)
        }
        box.value = self
    }

    final class Box: @unchecked Sendable { weak var value: RecordingServer? }

    package func append(_ r: ServerRequest) { lock.withLock { seen.append(r) } }
    package var requests: [ServerRequest] { lock.withLock { seen } }

    package func start() async throws -> String {
        port = try await server.start(host: "127.0.0.1", port: 0)
        return "http://127.0.0.1:\(port)"
    }
}
