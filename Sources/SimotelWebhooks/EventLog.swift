import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The `--log` file: opened for appending (`O_APPEND`), each line written with one `write`, so
/// two listeners sharing a file interleave whole lines and a file truncated under it (logrotate's
/// copytruncate, `: > file`) goes on at its new end instead of after a hole of NUL bytes.
final class EventLog: Sendable {
    let path: String
    private let fd: Int32

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    init(path: String) throws(WriteError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(description: "cannot open \(path): \(Self.reason(errno))") }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends one line in one `write`. A short write (a full disk) is a failure.
    func append(_ line: [UInt8]) throws(WriteError) {
        let (written, code) = line.withUnsafeBytes { bytes -> (Int, Int32) in
            while true {
                let n = write(fd, bytes.baseAddress, bytes.count)
                if n < 0 && errno == EINTR { continue }
                return (n, n < 0 ? errno : 0)
            }
        }
        let expected = line.count
        if written < 0 { throw WriteError(description: Self.reason(code)) }
        if written < expected {
            throw WriteError(description: "only \(written) of \(expected) bytes written (disk full?)")
        }
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "disk quota exceeded"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory"
        case ENOENT: return "no such directory"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
