import Foundation
import SafeFiles
import SimshLanguage

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The files of the shell (profiles, history, recordings, reports) as SafeFiles writes and reads
/// them, their problems as the contract's I/O errors.
package enum AtomicFile {
    /// Replaces a regular file whole (temporary file, fsync, rename), writes a FIFO, a device or
    /// `/dev/stdout` in place, and follows a symbolic link only under the kernel's rule.
    package static func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        do {
            try SafeFile.write(text.utf8, to: path, mode: mode)
        } catch {
            throw SimshError.io(error.description)
        }
    }

    /// Creates a directory and its parents (`mode` less the umask; private to the user unless
    /// told otherwise), under the symbolic-link rule every file simsh writes follows.
    package static func makeDirectory(_ dir: String, mode: mode_t = 0o700) throws {
        do { try SafeFile.makeDirectory(dir, mode: mode) } catch { throw SimshError.io(error.description) }
    }

    /// Text of a file (a pipe or device read to its end), or nil when there is none.
    package static func read(_ path: String) throws -> String? {
        let bytes: [UInt8]?
        do { bytes = try SafeFile.read(path) } catch { throw SimshError.io(error.description) }
        return try bytes.map { try text($0, from: path) }
    }

    /// Script bytes as text; not UTF-8 is a usage error, the same for a file and for stdin.
    public static func text(_ bytes: [UInt8], from name: String) throws -> String {
        // A byte-order mark some editors write is not part of the first command.
        let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SimshError.usage("\(name) is not UTF-8 text")
        }
        return text
    }

    /// Runs body while holding an exclusive lock on `path.lock`. The lock file (and its missing
    /// directories) is opened under the rule every file simsh writes follows: a symbolic link
    /// another user planted at its path is refused, not followed to create a file elsewhere.
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let fd: Int32
        do { fd = try SafeFile.openLock(path + ".lock") } catch { throw SimshError.io(error.description) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        return try body()
    }
}
