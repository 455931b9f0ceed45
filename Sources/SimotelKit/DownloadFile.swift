import AsyncHTTPClient
import NIOCore
import SafeFiles

/// Writes a download to a file as it arrives (`SafeFile.Writer`): a regular file is replaced when
/// the whole body is in and left as it was when anything fails; a FIFO, a device or stdout is
/// written in place. Nothing is held in memory.
enum DownloadFile {
    static func write(_ body: HTTPClientResponse.Body, to path: String) async throws -> Int {
        let writer: SafeFile.Writer
        do { writer = try SafeFile.Writer(path: path, mode: 0o644) } catch {
            throw SimotelError.file(error.description)
        }
        var total = 0
        do {
            for try await chunk in body {
                try chunk.withUnsafeReadableBytes { raw in try writer.write(raw) }
                total += chunk.readableBytes
            }
            try writer.commit()
            return total
        } catch let problem as FileProblem {
            writer.abandon()
            throw SimotelError.file(problem.description)
        } catch {
            writer.abandon()
            throw error
        }
    }
}
