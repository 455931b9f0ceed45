import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The `--log` file: opened for appending (`O_APPEND`), the lines of one turn of the event loop written with one `write`, so
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

    /// Appends whole lines (`bytes`, each line ending at one of `ends`) in one `write`, and says
    /// how many lines were written whole: all of them, or on a failed or short write (a full
    /// disk) fewer, with the error.
    func append(_ bytes: [UInt8], lineEnds ends: [Int]) -> (lines: Int, error: WriteError?) {
        let (written, code) = bytes.withUnsafeBytes { buffer -> (Int, Int32) in
            while true {
                let n = write(fd, buffer.baseAddress, buffer.count)
                if n < 0 && errno == EINTR { continue }
                return (n, n < 0 ? errno : 0)
            }
        }
        if written < 0 { return (0, WriteError(description: Self.reason(code))) }
        if written < bytes.count {
            let whole = ends.prefix { $0 <= written }.count
            return (whole, WriteError(description: "only \(written) of \(bytes.count) bytes written (disk full?)"))
        }
        return (ends.count, nil)
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
