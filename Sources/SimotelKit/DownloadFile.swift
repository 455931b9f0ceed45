import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Writes a download to a file as it arrives: into a temporary file beside the target, renamed
/// over it when the whole body is in, removed when anything fails. Nothing is held in memory.
enum DownloadFile {
    static func write(_ body: HTTPClientResponse.Body, to path: String) async throws -> Int {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).simsh-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            .path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SimotelError.file("cannot write \(path): \(reason(errno))") }
        var total = 0
        var open = true
        do {
            for try await chunk in body {
                try chunk.withUnsafeReadableBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { throw SimotelError.file("cannot write \(path): \(reason(errno))") }
                        offset += n
                    }
                }
                total += chunk.readableBytes
            }
            guard fsync(fd) == 0 || errno == EINVAL else {
                throw SimotelError.file("cannot write \(path): \(reason(errno))")
            }
            close(fd)
            open = false
            guard rename(temp, path) == 0 else {
                throw SimotelError.file("cannot write \(path): \(reason(errno))")
            }
            return total
        } catch {
            if open { close(fd) }
            unlink(temp)
            throw error
        }
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "no space left on the device"
        case EACCES, EPERM: return "permission denied"
        case ENOENT: return "no such directory"
        case EISDIR: return "is a directory"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
