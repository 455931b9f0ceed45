import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The `--log` file: opened for appending (`O_APPEND`), the lines of one turn of the event loop
/// written with one `write`, so two listeners sharing a file interleave whole lines and a file
/// truncated under it (logrotate's copytruncate, `: > file`) goes on at its new end instead of
/// after a hole of NUL bytes. Opened non-blocking: a FIFO or pipe nobody reads fails the write
/// (the events are answered 503) instead of stopping the event loop.
final class EventLog: Sendable {
    let path: String
    private let fd: Int32
    /// A short write left part of a line at the end: the next write starts on a new line.
    private let torn = NIOLockedValueBox(false)

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    init(path: String) throws(WriteError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == ENXIO { throw WriteError(description: "cannot open \(path): no process reads that FIFO") }
            throw WriteError(description: "cannot open \(path): \(Self.reason(code))")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends whole lines (`bytes`, each line ending at one of `ends`) in one `write`, and says
    /// how many lines were written whole: all of them, or on a failed or short write (a full
    /// disk) fewer, with the error.
    func append(_ lines: [UInt8], lineEnds: [Int]) -> (lines: Int, error: WriteError?) {
        var bytes = lines
        var ends = lineEnds
        let newLineFirst = torn.withLockedValue { $0 }
        if newLineFirst {
            bytes.insert(0x0A, at: 0)
            ends = ends.map { $0 + 1 }
        }
        let (written, code) = bytes.withUnsafeBytes { buffer -> (Int, Int32) in
            while true {
                let n = write(fd, buffer.baseAddress, buffer.count)
                if n < 0 && errno == EINTR { continue }
                return (n, n < 0 ? errno : 0)
            }
        }
        if written < 0 {
            if code == EAGAIN { return (0, WriteError(description: "nothing reads it (a full pipe or FIFO)")) }
            return (0, WriteError(description: Self.reason(code)))
        }
        if written < bytes.count {
            let whole = ends.prefix { $0 <= written }.count
            let atLineEnd = written == 0 ? !newLineFirst : ends.contains(written) || (newLineFirst && written == 1)
            torn.withLockedValue { $0 = !atLineEnd }
            return (whole, WriteError(description: "only \(written) of \(bytes.count) bytes written (disk full?)"))
        }
        torn.withLockedValue { $0 = false }
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
