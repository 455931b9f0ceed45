import Foundation
import SystemPackage

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Writes files the safe way: a private temporary file beside the target, fsync, rename.
/// A crash at any moment leaves either the old or the new file, never a truncated one.
enum AtomicFile {
    /// A symbolic link is followed: the file it names is replaced, the link kept. The directory
    /// is synced after the rename, so the new name survives a power cut too. Every failure (a
    /// full disk is often only reported by fsync) says why, and leaves the old file and no
    /// temporary one.
    static func write(_ text: String, to path: String, mode: mode_t = 0o600) throws {
        let target = resolvedLink(path)
        let url = URL(fileURLWithPath: target)
        let dir = url.deletingLastPathComponent().path
        try ensureDirectory(dir)
        let temp = dir + "/." + url.lastPathComponent + ".tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SimshError.io("cannot write \(path): \(errnoText())") }
        var failure: String?
        do {
            _ = try FileDescriptor(rawValue: fd).writeAll(text.utf8)
        } catch let e as Errno {
            failure = String(cString: strerror(e.rawValue)).lowercased()
        } catch {
            failure = "\(error)".lowercased()
        }
        if failure == nil, fsync(fd) != 0 { failure = errnoText() }
        fchmod(fd, mode)
        if close(fd) != 0, failure == nil { failure = errnoText() }
        if failure == nil, rename(temp, target) != 0 { failure = errnoText() }
        if let failure {
            unlink(temp)
            throw SimshError.io("cannot write \(path): \(failure)")
        }
        let dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    /// The file a symbolic link names (relative links from the link's directory, a few levels deep),
    /// else the path itself.
    static func resolvedLink(_ path: String) -> String {
        var current = path
        for _ in 0..<8 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { break }
            current =
                destination.hasPrefix("/")
                ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        return current
    }

    /// Creates a directory and its parents, private to the user.
    static func ensureDirectory(_ dir: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue { return }
        do {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SimshError.io("cannot create directory \(dir)")
        }
    }

    static func read(_ path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { throw SimshError.io("cannot read \(path): is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimshError.io("cannot read \(path): permission denied")
        }
        return try text(Array(data), from: path)
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

    /// Runs body while holding an exclusive lock on `path.lock`.
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        try ensureDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SimshError.io("cannot lock \(path): \(errnoText())") }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        return try body()
    }

    static func errnoText() -> String { String(cString: strerror(errno)).lowercased() }
}
