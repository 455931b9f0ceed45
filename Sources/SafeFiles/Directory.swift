#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A directory held open while a file in it is written: every later step (the temporary file,
/// the rename, the leftovers, the sync) is relative to it, so a directory on the way that is
/// swapped for a symbolic link after `SafePath` checked it cannot send the write elsewhere.
/// Opened from `/` one name at a time with `O_NOFOLLOW`: a link met on the way is refused.
final class Directory {
    let fd: Int32
    /// Opened for reading (it can be listed and synced), not only as a place.
    let readable: Bool
    let path: String

    /// Linux's O_PATH (a descriptor that only names a place: searching a directory needs no read
    /// permission), which Glibc's Swift overlay does not show (it is a GNU extension).
    static let openPath: Int32 = 0o10000000

    /// `path` is absolute and, as `SafePath.resolve` returns it, holds no symbolic link; with
    /// `create`, missing directories are made with `mode` less the umask (private to the user
    /// unless told otherwise).
    init(_ path: String, create: Bool, verb: String, for original: String, mode: mode_t = 0o700)
        throws(FileProblem)
    {
        var fd = open("/", Directory.openPath | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileProblem.cannot(verb, original, errno) }
        let parts = SafePath.components(path)
        for (i, part) in parts.enumerated() {
            var next = openat(fd, part, Directory.openPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create {
                if mkdirat(fd, part, mode) == 0 || errno == EEXIST {
                    next = openat(fd, part, Directory.openPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
            }
            let code = errno
            close(fd)
            guard next >= 0 else {
                throw code == ELOOP || code == ENOTDIR
                    ? FileProblem(
                        "cannot \(verb) \(original): \(SafePath.joined(Array(parts[...i]))) changed while it was written to (now not a directory)",
                        code: code)
                    : FileProblem.cannot(verb, original, code)
            }
            fd = next
        }
        // The last one for reading, to list and sync it; a directory one may only pass through
        // (mode 0311) is written in all the same.
        let readable = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if readable >= 0 {
            close(fd)
            fd = readable
        }
        self.fd = fd
        self.readable = readable >= 0
        self.path = path
    }

    deinit { close(fd) }

    /// Syncs the directory, so that a rename in it survives a power cut.
    func sync() { if readable { fsync(fd) } }

    /// The names in it.
    func names() -> [String] {
        guard readable else { return [] }
        let copy = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard copy >= 0, let dir = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

extension SafeFile {
    /// Opens `name` in the directory at `dir` (as `SafePath` resolved it) with `flags` and
    /// `O_NOFOLLOW`: what is opened is what was checked.
    static func openChecked(
        _ name: String, in dir: String, flags: Int32, mode: mode_t = 0o600, verb: String, for original: String
    ) throws(FileProblem) -> Int32 {
        let directory = try Directory(dir, create: false, verb: verb, for: original)
        let fd = openat(directory.fd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileProblem.cannot(verb, original, errno) }
        return fd
    }

    /// Opens a log for appending (`listen events --log`): a regular file (made when missing) or
    /// a FIFO opened where `SafePath` resolved it, `/dev/stdout` and `/dev/fd/N` duplicated.
    /// `flags` are added to O_WRONLY | O_APPEND (O_NONBLOCK, say).
    public static func openForAppending(_ path: String, flags: Int32 = 0) throws(FileProblem) -> Int32 {
        let resolved = try SafePath.resolve(path, verb: "open")
        if let descriptor = resolved.descriptor {
            // A pipe is opened anew (its own flags: O_NONBLOCK must not reach simsh's stdout);
            // a file, a terminal or a socket is the descriptor itself, where it stands.
            var st = stat()
            let fd =
                fstat(descriptor, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO
                ? Glibc.open("/proc/self/fd/\(descriptor)", O_WRONLY | O_APPEND | O_CLOEXEC | flags)
                : fcntl(descriptor, F_DUPFD_CLOEXEC, 3)
            guard fd >= 0 else { throw FileProblem.cannot("open", path, errno) }
            return fd
        }
        let (dir, name) = SafePath.split(resolved.path)
        return try openChecked(name, in: dir, flags: O_WRONLY | O_APPEND | O_CREAT | flags, verb: "open", for: path)
    }

    /// Opens the lock file beside a file simsh rewrites (`config.toml.lock`, `history.lock`) for
    /// `flock`, made (0600, its missing directories 0700) when missing: resolved under `SafePath`'s
    /// rule and opened with O_NOFOLLOW, so a link planted at its path cannot make simsh create a
    /// file where the link points.
    public static func openLock(_ path: String) throws(FileProblem) -> Int32 {
        let resolved = try SafePath.resolve(path, verb: "lock")
        if let descriptor = resolved.descriptor {
            let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 3)
            guard fd >= 0 else { throw FileProblem.cannot("lock", path, errno) }
            return fd
        }
        let (dirPath, name) = SafePath.split(resolved.path)
        let dir = try Directory(dirPath, create: true, verb: "lock", for: path)
        let fd = openat(dir.fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileProblem.cannot("lock", path, errno) }
        return fd
    }

    /// Makes a directory and the missing ones above it (`mode` less the umask), each opened one
    /// name at a time with O_NOFOLLOW after `SafePath` resolved the path: a symbolic link another
    /// user planted in a sticky world-writable directory is refused, so no directory is made where
    /// it points (`--report-html DIR`, the event store's directory).
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(FileProblem) {
        let verb = "create directory"
        let resolved = try SafePath.resolve(path, verb: verb)
        guard resolved.descriptor == nil else { throw FileProblem.cannot(verb, path, ENOTDIR) }
        var st = stat()
        if lstat(resolved.path, &st) == 0, st.st_mode & S_IFMT != S_IFDIR {
            throw FileProblem.cannot(verb, path, ENOTDIR)
        }
        _ = try Directory(resolved.path, create: true, verb: verb, for: path, mode: mode)
    }
}
