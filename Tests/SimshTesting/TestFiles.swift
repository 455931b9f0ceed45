import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A private temporary directory, removed when the value is dropped.
package final class TempDir: @unchecked Sendable {
    package let path: String

    package init() {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/simsh-test-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    package func file(_ name: String) -> String { path + "/" + name }
}

/// A port that nothing listens on: bound without listening and kept bound for the rest of the
/// test run, so no other test's server can take it meanwhile (a connection to it is refused).
package func closedPort() -> Int { boundPort(release: false) }

/// A port free a moment ago, for a server a child process starts (bound, then released).
package func freePort() -> Int { boundPort(release: true) }

package func boundPort(release: Bool) -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { if release { close(fd) } }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// The package root (for golden files and the built binary).
package let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()
