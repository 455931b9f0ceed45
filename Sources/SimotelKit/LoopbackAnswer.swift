import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A listening socket on 127.0.0.1 (a port the system picks) that answers one HTTP request with
/// a fixed JSON body and closes: the other end of `SimotelClient.warmExchange()`. Plain POSIX,
/// so that warming the client's machinery does not use it first. Bounded: it waits for the
/// connection only while the client may still come (the ping runs as a task, which a busy pool
/// may start late), two seconds for the whole request (a peer trickling bytes gets no more),
/// and reads at most 64 KiB.
final class LoopbackAnswer: Sendable {
    let port: Int
    private let fd: Int32
    private let body: String

    init?(body: String) {
        self.body = body
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    /// Accepts one connection, reads its request head and body, answers, closes; gives up when
    /// `clientGone` says no connection will come.
    func answerOne(until clientGone: () -> Bool) {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, 100) != 1 {
            if clientGone() { return }
        }
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        // Two seconds for the whole request, however it trickles in; and none once the client
        // is done (then whoever connected is not it).
        let deadline = ContinuousClock.now + .seconds(2)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 65536 {
            guard !clientGone(), ContinuousClock.now < deadline else { return }
            var reader = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&reader, 1, 100) == 1 else { continue }
            let n = read(connection, &buffer, buffer.count)
            guard n > 0 else { return }
            received += buffer[..<n]
            if Self.isComplete(received) { break }
        }
        let answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n\(body)"
        _ = answer.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// True when the bytes hold a request head and as much body as its Content-Length says.
    static func isComplete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        let length =
            head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return text.utf8.distance(from: end.upperBound.samePosition(in: text.utf8)!, to: text.utf8.endIndex) >= length
    }
}
