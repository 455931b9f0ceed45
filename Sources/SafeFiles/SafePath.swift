#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Where writing to a path leads, decided before anything is written.
public enum FileTarget: Equatable, Sendable {
    /// A regular file, or nothing yet, at this path (no symbolic link left in it): written beside
    /// and renamed over, so a crash leaves the old file or the new one.
    case replace(String)
    /// A file that exists and is not regular (a FIFO, a device node): opened and written in place,
    /// never renamed over.
    case inPlace(String)
    /// One of this process's open descriptors (`/dev/stdout`, `/dev/fd/N`): written where it
    /// stands, so a console log that stdout was redirected to keeps what it holds.
    case descriptor(Int32)
}

/// Resolves paths the way the kernel would open them, with its `protected_symlinks` rule applied
/// whatever the system's setting: a symbolic link in a sticky world-writable directory (`/tmp`)
/// is followed only when it belongs to the user running simsh or to the directory's owner. A
/// link another user planted there is refused, so it cannot make simsh (root in CI) write over a
/// file the link names.
public enum SafePath {
    public static func target(_ path: String, verb: String = "write") throws(FileProblem) -> FileTarget {
        let resolved = try resolve(path, verb: verb)
        if let fd = resolved.descriptor { return .descriptor(fd) }
        var st = stat()
        // lstat: the path holds no link now; one put there since is not followed.
        guard lstat(resolved.path, &st) == 0 else {
            let code = errno
            if code == ENOENT { return .replace(resolved.path) }
            throw FileProblem.cannot(verb, path, code)
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .replace(resolved.path)
        case S_IFLNK: throw FileProblem("cannot \(verb) \(path): it changed while it was written to", code: ELOOP)
        case S_IFDIR: throw FileProblem.cannot(verb, path, EISDIR)
        case S_IFSOCK: throw FileProblem("cannot \(verb) \(path): it is a socket")
        default: return .inPlace(resolved.path)
        }
    }

    /// The path with every symbolic link replaced by what it names, checked link by link; or the
    /// descriptor a `/dev/fd/N`-like path stands for. Parts that do not exist yet are kept as
    /// written.
    public static func resolve(_ path: String, verb: String = "write") throws(FileProblem) -> (
        path: String, descriptor: Int32?
    ) {
        guard !path.isEmpty else { throw FileProblem("cannot \(verb) an empty path") }
        var pending = components(path)
        var resolved: [String] = []
        if !path.hasPrefix("/") {
            guard let cwd = currentDirectory() else { throw FileProblem.cannot(verb, path, errno) }
            resolved = components(cwd)
        }
        var links = 0
        while !pending.isEmpty {
            let part = pending.removeFirst()
            if part == "." { continue }
            if part == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            let dir = joined(resolved)
            let full = dir == "/" ? "/" + part : dir + "/" + part
            var st = stat()
            guard lstat(full, &st) == 0 else {
                let code = errno
                if code == ENOENT || code == ENOTDIR {
                    resolved.append(part)
                    continue
                }
                throw FileProblem.cannot(verb, path, code)
            }
            guard st.st_mode & S_IFMT == S_IFLNK else {
                resolved.append(part)
                continue
            }
            if pending.isEmpty, isDescriptorDirectory(dir), let fd = Int32(part) { return (full, fd) }
            try checkFollowable(link: full, owner: st.st_uid, in: dir, verb: verb, path: path)
            links += 1
            guard links <= 40, let destination = readLink(full) else { throw FileProblem.cannot(verb, path, ELOOP) }
            if destination.hasPrefix("/") { resolved = [] }
            pending = components(destination) + pending
        }
        return (joined(resolved), nil)
    }

    /// The kernel's rule (fs.protected_symlinks): outside a sticky world-writable directory any
    /// link is followed; inside one, only a link of the follower's or of the directory's owner.
    static func checkFollowable(link: String, owner: uid_t, in dir: String, verb: String, path: String)
        throws(FileProblem)
    {
        var st = stat()
        guard stat(dir, &st) == 0 else { throw FileProblem.cannot(verb, path, errno) }
        let sticky = st.st_mode & S_ISVTX != 0 && st.st_mode & S_IWOTH != 0
        guard sticky, owner != geteuid(), owner != st.st_uid else { return }
        throw FileProblem(
            "cannot \(verb) \(path): \(link) is a symbolic link of another user in a world-writable directory (not followed)"
        )
    }

    static func isDescriptorDirectory(_ dir: String) -> Bool {
        dir == "/dev/fd" || dir == "/proc/self/fd" || dir == "/proc/\(getpid())/fd"
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func components(_ path: String) -> [String] {
        path.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
    }

    static func joined(_ parts: [String]) -> String { "/" + parts.joined(separator: "/") }

    /// The directory and the name of an absolute path (`/` and `x` for `/x`).
    static func split(_ path: String) -> (dir: String, name: String) {
        var parts = components(path)
        let name = parts.popLast() ?? ""
        return (joined(parts), name)
    }
}
