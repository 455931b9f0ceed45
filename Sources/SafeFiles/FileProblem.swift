#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Why a file could not be read or written, in words: `cannot write PATH: REASON`.
public struct FileProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    /// The errno behind it, when there was one.
    public var code: Int32?

    public init(_ description: String, code: Int32? = nil) {
        self.description = description
        self.code = code
    }

    static func cannot(_ verb: String, _ path: String, _ code: Int32) -> FileProblem {
        FileProblem("cannot \(verb) \(path): \(reason(code))", code: code)
    }

    /// An errno in lower-case words, the common ones in plainer words than strerror's.
    public static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "disk quota exceeded"
        case EFBIG: return "file too large"
        case EACCES, EPERM: return "permission denied"
        case ENOENT: return "no such file or directory"
        case EISDIR: return "is a directory"
        case ENXIO: return "no process reads that FIFO or device"
        case ELOOP: return "too many levels of symbolic links"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
