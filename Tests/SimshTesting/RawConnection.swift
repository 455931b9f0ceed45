import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A TCP client that sends exactly the bytes it is given, when it is told to: for clients that
/// trickle, pipeline without reading, or stall.
package final class RawConnection: Sendable {
    package let fd: Int32

    /// `receiveBuffer` shrinks the socket's receive buffer (a client that reads nothing then
    /// backs the server's answers up sooner).
    package init(port: Int, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw SpawnError(message: "connect failed")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends all of it (blocking); false when the peer is gone.
    @discardableResult
    package func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Sends what fits within `seconds` without blocking longer; returns the bytes sent.
    package func sendWithin(_ bytes: [UInt8], seconds: Double) -> Int {
        var offset = 0
        let deadline = Date().addingTimeInterval(seconds)
        while offset < bytes.count, Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            if pfd.revents & Int16(POLLERR | POLLHUP) != 0 { break }
            let n = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, min($0.count, 65536), Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if n > 0 { offset += n } else if n < 0 && errno != EAGAIN && errno != EINTR { break }
        }
        return offset
    }

    /// True when the server has closed the connection (a read returns 0 or an error), looking
    /// for up to `seconds`; answers that arrive meanwhile are read and dropped.
    package func isClosedByServer(within seconds: Double = 1) -> Bool { read(within: seconds).closed }

    /// Everything the server sends until it closes the connection (or `seconds` pass).
    package func readUntilClosed(within seconds: Double = 10) -> String {
        String(decoding: read(within: seconds).received, as: UTF8.self)
    }

    /// Reads until the server closes the connection or `seconds` pass.
    private func read(within seconds: Double) -> (received: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            let n = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
            if n > 0 {
                received += buf[..<n]
            } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                return (received, true)
            }
        }
        return (received, false)
    }

    /// `readUntilClosed` on a thread of its own, for async tests: blocking a thread of Swift's
    /// cooperative pool (two on this machine) can starve the very task the server needs to answer.
    package func readUntilClosedOffThePool(within seconds: Double = 10) async -> String {
        await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
            let thread = Thread { c.resume(returning: self.readUntilClosed(within: seconds)) }
            thread.start()
        }
    }
}
