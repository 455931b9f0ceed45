import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Every file simsh writes goes through here. A regular file (or a new one) is written to a
/// private temporary file beside it, synced and renamed over it: a crash at any moment leaves
/// the old file or the new one, never a truncated one. What is not a regular file is never
/// renamed over: a FIFO or a device is written in place, `/dev/stdout` where it stands. Paths
/// are resolved under the kernel's symbolic-link rule (`SafePath`).
public enum SafeFile {
    public static func write(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t = 0o600)
        throws(FileProblem)
    {
        let writer = try Writer(path: path, mode: mode)
        let failure = Array(bytes).withUnsafeBytes { raw -> FileProblem? in
            do throws(FileProblem) { try writer.write(raw) } catch { return error }
            return nil
        }
        if let failure {
            writer.abandon()
            throw failure
        }
        try writer.commit()
    }

    /// A file's bytes, or nil when there is none. Pipes, FIFOs and devices are read to their
    /// end (`simsh <(…)`, `/dev/stdin`).
    public static func read(_ path: String) throws(FileProblem) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw FileProblem.cannot("read", path, code)
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { throw FileProblem.cannot("read", path, EISDIR) }
        var bytes: [UInt8] = []
        if st.st_mode & S_IFMT == S_IFREG, st.st_size > 0 { bytes.reserveCapacity(Int(st.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw FileProblem.cannot("read", path, errno) }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Creates a directory and its parents, private to the user, under the symbolic-link rule
    /// (`makeDirectory`).
    public static func ensureDirectory(_ dir: String) throws(FileProblem) {
        try makeDirectory(dir, mode: 0o700)
    }

    /// The temporary files of a write to `name` in `dir` left by a writer that is gone (killed
    /// mid-write: its pid, in the name, is no longer alive) or that are over an hour old. Another
    /// live writer's are kept, and so is anything not the user's own.
    static func removeLeftovers(in dir: Directory, of name: String) {
        let prefix = temporaryPrefix(name)
        let now = time(nil)
        for entry in dir.names() where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count).split(separator: ".")
            guard rest.count == 2, let pid = pid_t(rest[0]), pid > 0, UInt32(rest[1]) != nil else { continue }
            var st = stat()
            guard fstatat(dir.fd, entry, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT == S_IFREG,
                st.st_uid == geteuid()
            else { continue }
            let alive = kill(pid, 0) == 0 || errno == EPERM
            if !alive || now - st.st_mtim.tv_sec > 3600 { unlinkat(dir.fd, entry, 0) }
        }
    }

    static func temporaryPrefix(_ name: String) -> String { "." + name + ".tmp." }

    /// A file being written: chunk by chunk, then committed (renamed into place) or abandoned
    /// (the temporary file removed). Used by one task at a time.
    public final class Writer {
        let path: String
        let mode: mode_t
        private var fd: Int32
        private let ownsDescriptor: Bool
        /// For a replaced file: its directory, the temporary name and the name.
        private let replacing: (dir: Directory, temporary: String, name: String)?
        private var done = false

        public init(path: String, mode: mode_t = 0o600) throws(FileProblem) {
            self.path = path
            self.mode = mode
            switch try SafePath.target(path) {
            case .descriptor(let fd):
                self.fd = fd
                ownsDescriptor = false
                replacing = nil
            case .inPlace(let resolved):
                let (dir, name) = SafePath.split(resolved)
                let fd = try SafeFile.openChecked(name, in: dir, flags: O_WRONLY | O_NOCTTY, verb: "write", for: path)
                var st = stat()
                guard fstat(fd, &st) == 0, st.st_mode & S_IFMT != S_IFREG else {
                    close(fd)
                    throw FileProblem("cannot write \(path): it changed while it was written to")
                }
                self.fd = fd
                ownsDescriptor = true
                replacing = nil
            case .replace(let resolved):
                let (dirPath, name) = SafePath.split(resolved)
                let dir = try Directory(dirPath, create: true, verb: "write", for: path)
                SafeFile.removeLeftovers(in: dir, of: name)
                let temp = SafeFile.temporaryPrefix(name) + "\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
                let fd = openat(dir.fd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
                guard fd >= 0 else { throw FileProblem.cannot("write", path, errno) }
                self.fd = fd
                ownsDescriptor = true
                replacing = (dir, temp, name)
            }
        }

        deinit { abandon() }

        public func write(_ raw: UnsafeRawBufferPointer) throws(FileProblem) {
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw FileProblem.cannot("write", path, n < 0 ? errno : ENOSPC) }
                offset += n
            }
        }

        /// Puts the file in place: synced (a full disk is often reported only here) and renamed
        /// over the target, the directory synced so the new name survives a power cut.
        public func commit() throws(FileProblem) {
            guard !done else { return }
            guard let replacing else {
                done = true
                if ownsDescriptor, close(fd) != 0 { throw FileProblem.cannot("write", path, errno) }
                return
            }
            if fsync(fd) != 0, errno != EINVAL { throw FileProblem.cannot("write", path, errno) }
            fchmod(fd, mode)
            let closed = close(fd)
            fd = -1
            if closed != 0 { throw FileProblem.cannot("write", path, errno) }
            guard renameat(replacing.dir.fd, replacing.temporary, replacing.dir.fd, replacing.name) == 0 else {
                throw FileProblem.cannot("write", path, errno)
            }
            done = true
            replacing.dir.sync()
        }

        /// Leaves the target as it was and removes the temporary file.
        public func abandon() {
            guard !done else { return }
            done = true
            if ownsDescriptor, fd >= 0 { close(fd) }
            fd = -1
            if let replacing { unlinkat(replacing.dir.fd, replacing.temporary, 0) }
        }
    }
}

extension SafeFile {
    /// A file written as it goes (`record`): started with `header` under the rules of `write` (a
    /// regular file replaced, a FIFO, a device or stdout written in place), then kept open, each
    /// `append` one `write` at its end. Closed when dropped.
    public final class Appender: Sendable {
        // Appends from several threads are whole `write`s (O_APPEND) to the one descriptor.
        public let path: String
        private let fd: Int32
        private let ownsDescriptor: Bool

        public init(path: String, header: String, mode: mode_t = 0o600) throws(FileProblem) {
            self.path = path
            switch try SafePath.target(path) {
            case .descriptor(let fd):
                self.fd = fd
                ownsDescriptor = false
            case .inPlace(let resolved):
                let (dir, name) = SafePath.split(resolved)
                fd = try SafeFile.openChecked(name, in: dir, flags: O_WRONLY | O_NOCTTY, verb: "write", for: path)
                ownsDescriptor = true
            case .replace(let resolved):
                try SafeFile.write(Array(header.utf8), to: resolved, mode: mode)
                let (dir, name) = SafePath.split(resolved)
                self.fd = try SafeFile.openChecked(name, in: dir, flags: O_WRONLY | O_APPEND, verb: "write", for: path)
                ownsDescriptor = true
                return
            }
            try append(header)
        }

        deinit { if ownsDescriptor { close(fd) } }

        public func append(_ text: String) throws(FileProblem) {
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw FileProblem.cannot("write", path, n < 0 ? errno : ENOSPC) }
                offset += n
            }
        }
    }
}
