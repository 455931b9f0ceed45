import Foundation
import NIOConcurrencyHelpers
import SafeFiles

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The `--log` file: opened for appending (`O_APPEND`), the lines of one turn of the event loop
/// written with one `write`, so two listeners sharing a file interleave whole lines and a file
/// truncated under it (logrotate's copytruncate, `: > file`) goes on at its new end instead of
/// after a hole of NUL bytes. Opened non-blocking: a FIFO or pipe nobody reads fails the write
/// (the events are answered 503) instead of stopping the event loop.
///
/// Rotation: before each batch the path is looked at (`stat`, one call); a log moved away or
/// deleted under the listener (`mv`, `rm`, logrotate's `create`) is noticed and a new one is
/// opened at the path, and a batch that went into a file deleted during its write is written
/// again to the new one. `reopen()` (SIGHUP in a script, logrotate's convention) does it at once.
/// A short write (a full disk) is cut back to its last whole line, so no torn line is left.
final class EventLog: Sendable {
    let path: String
    private let file: NIOLockedValueBox<OpenFile>

    /// The file open at the path and what it was when opened, used under `file`'s lock (the
    /// listener writes under its store's lock already; `reopen` comes from a signal's thread).
    private struct OpenFile: Sendable {
        /// -1 when the path could not be opened again: each batch tries (and is answered 503).
        var fd: Int32 = -1
        var device: UInt64 = 0
        var inode: UInt64 = 0
        /// A short write left part of a line at the end that could not be cut off (a pipe):
        /// the next write starts on a new line.
        var torn = false
    }

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every open log, for `reopenAll` (SIGHUP), without keeping any alive.
    private struct WeakLog: Sendable {
        weak var log: EventLog?
    }

    private static let live = NIOLockedValueBox<[ObjectIdentifier: WeakLog]>([:])

    /// Opens every open log of the process at its path again (SIGHUP in a script).
    static func reopenAll() {
        let logs = live.withLockedValue { $0.values.compactMap { $0.log } }
        for log in logs { log.reopen() }
    }

    init(path: String) throws(WriteError) {
        self.path = path
        let opened = try Self.openFile(path)
        self.file = NIOLockedValueBox(opened)
        Self.live.withLockedValue { $0[ObjectIdentifier(self)] = WeakLog(log: self) }
    }

    deinit {
        Self.live.withLockedValue { $0[ObjectIdentifier(self)] = nil }
        file.withLockedValue { f in
            if f.fd >= 0 { close(f.fd) }
        }
    }

    /// Opened under the same rule as every file simsh writes (`SafeFile.openForAppending`): a
    /// symbolic link another user planted in a sticky world-writable directory is not followed,
    /// nor one put in place after the check; `/dev/stdout` is the descriptor itself.
    private static func openFile(_ path: String) throws(WriteError) -> OpenFile {
        let fd: Int32
        do { fd = try SafeFile.openForAppending(path, flags: O_CREAT | O_NONBLOCK) } catch {
            if error.code == ENXIO { throw WriteError(description: "cannot open \(path): no process reads that FIFO") }
            if let code = error.code { throw WriteError(description: "cannot open \(path): \(Self.reason(code))") }
            throw WriteError(description: error.description)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw WriteError(description: "cannot open \(path): \(Self.reason(code))")
        }
        return OpenFile(fd: fd, device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Opens the log at its path again (SIGHUP: logrotate moved it away and wants the next
    /// lines in a new file). A failure is said, and the next batch tries again.
    @discardableResult
    func reopen() -> WriteError? {
        file.withLockedValue { f -> WriteError? in Self.follow(path, &f, force: true) }
    }

    /// Appends whole lines (`bytes`, each line ending at one of `ends`) in one `write`, and says
    /// how many lines were written whole: all of them, or on a failed or short write (a full
    /// disk) fewer, with the error. The file written is the one at the path now.
    func append(_ lines: [UInt8], lineEnds: [Int]) -> (lines: Int, error: WriteError?) {
        file.withLockedValue { f -> (lines: Int, error: WriteError?) in
            // Moved away or deleted since the last batch: these lines go to a new file there.
            if let problem = Self.follow(path, &f) { return (0, problem) }
            let first = Self.writeLines(lines, lineEnds: lineEnds, to: &f)
            // Deleted while being written (`rm` between the look and the write): the lines went
            // where nobody can read them, so they are written again, to a new file at the path.
            guard first.lines > 0, Self.isDeleted(f.fd) else { return first }
            if let problem = Self.follow(path, &f, force: true) { return (0, problem) }
            let whole = lineEnds[first.lines - 1]
            let again = Self.writeLines(
                Array(lines[..<whole]), lineEnds: Array(lineEnds.prefix(first.lines)), to: &f)
            return (again.lines, again.error ?? first.error)
        }
    }

    /// Keeps the file open when it is still the one at the path; else (moved, deleted, another
    /// put in its place, or `force`) opens the path anew, closing the old one. Nil when there is
    /// a file to write to.
    private static func follow(_ path: String, _ f: inout OpenFile, force: Bool = false) -> WriteError? {
        if !force, f.fd >= 0 {
            var st = stat()
            if stat(path, &st) == 0, UInt64(st.st_dev) == f.device, UInt64(st.st_ino) == f.inode { return nil }
        }
        do {
            let opened = try openFile(path)
            if f.fd >= 0 { close(f.fd) }
            f = opened
            return nil
        } catch {
            // Not written to the old one either: it is gone from the path (moved or deleted).
            if f.fd >= 0 { close(f.fd) }
            f = OpenFile()
            return error
        }
    }

    /// True when the open file has no name left (deleted).
    private static func isDeleted(_ fd: Int32) -> Bool {
        var st = stat()
        return fstat(fd, &st) == 0 && st.st_nlink == 0
    }

    /// One `write` of the lines to the open file. A short write is cut back (`ftruncate`) to
    /// the end of its last whole line, when nothing was appended after it meanwhile (another
    /// listener); a pipe cannot be cut, and its next write starts on a new line instead.
    private static func writeLines(_ lines: [UInt8], lineEnds: [Int], to f: inout OpenFile) -> (
        lines: Int, error: WriteError?
    ) {
        guard f.fd >= 0 else { return (0, WriteError(description: "not open")) }
        var bytes = lines
        var ends = lineEnds
        let newLineFirst = f.torn
        if newLineFirst {
            bytes.insert(0x0A, at: 0)
            ends = ends.map { $0 + 1 }
        }
        let fd = f.fd
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
            // Where the last whole line ends (the newline ending an earlier torn line counts).
            let keep = whole > 0 ? ends[whole - 1] : (newLineFirst && written >= 1 ? 1 : 0)
            var cut = written == keep
            if !cut { cut = cutBack(fd, written: written, keep: keep) }
            f.torn = cut ? (keep == 0 && newLineFirst) : true
            return (whole, WriteError(description: "only \(written) of \(bytes.count) bytes written (disk full?)"))
        }
        f.torn = false
        return (ends.count, nil)
    }

    /// Truncates the file to where the last write's whole lines end: the write ended at the
    /// file's offset (`O_APPEND`), and only when the file still ends there (no one appended
    /// since). False when it cannot be cut (a pipe, a device, another writer's lines after it).
    private static func cutBack(_ fd: Int32, written: Int, keep: Int) -> Bool {
        let end = Int(lseek(fd, 0, SEEK_CUR))
        var st = stat()
        guard end >= written, fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) == end
        else { return false }
        let to = end - (written - keep)
        while true {
            if ftruncate(fd, off_t(to)) == 0 { return true }
            if errno != EINTR { return false }
        }
    }

    /// Opened with O_CREAT, a log is missing only when its directory is.
    static func reason(_ code: Int32) -> String {
        code == ENOENT ? "no such directory" : FileProblem.reason(code)
    }
}
