import Foundation
import SafeFiles
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// `events resend --file FILE`: an event log replayed, read as it is sent.
extension EventsResend {
    func resend(file path: String, to target: String, headers: [(String, String)], in session: Session)
        async throws
    {
        let reader = try LogLineReader(path: path)
        var tally = ResendTally(pacing: rate)
        var events = 0
        let name = (path as NSString).lastPathComponent
        while let next = try reader.next() {
            let (number, line) = (next.number, next.line)
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let event: ReceivedEvent
            do {
                event = try ReceivedEvent.fromLogLine(line, number: number)
            } catch {
                // The events before the bad line went out: said before the error.
                if tally.sent > 0 {
                    session.output.line("sent \(tally.sent) event\(tally.sent == 1 ? "" : "s") before line \(number)")
                }
                throw SimshError.usage("events resend: \(path):\(number): \(String(describing: error))")
            }
            events += 1
            guard selection.matches(event) else { continue }
            try await tally.send(event, to: target, headers: headers, in: session)
        }
        guard tally.sent > 0 else {
            throw SimshError.usage(
                events == 0 ? "events resend: \(path) holds no events" : "events resend: no event in \(path) matches")
        }
        try tally.finish(in: session, of: tally.sent == events ? " of \(name)" : " of the \(events) in \(name)")
    }
}

/// A file's lines, read in chunks: at most one line (`maxLine` bytes) and one chunk in memory, so
/// a log of any size replays; a longer line is refused, naming it.
final class LogLineReader {
    static let maxLine = 8 << 20
    static let chunk = 64 << 10
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`, and how far it was searched for a newline.
    private var start = 0
    private var searched = 0
    private var atEnd = false
    private var number = 0

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw SimshError.io("events resend: cannot read \(path): \(FileProblem.reason(errno))") }
        var st = stat()
        if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            throw SimshError.io("events resend: cannot read \(path): \(FileProblem.reason(EISDIR))")
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The next line (its number from 1, its bytes without the newline), or nil at the end; a
    /// last line without a newline counts.
    func next() throws -> (number: Int, line: [UInt8])? {
        while true {
            if let newline = buffer[searched...].firstIndex(of: 0x0A), newline - start <= Self.maxLine {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                searched = start
                number += 1
                return (number, line)
            }
            searched = buffer.count
            guard searched - start <= Self.maxLine else {
                throw SimshError.usage(
                    "events resend: \(path):\(number + 1): line longer than \(Self.maxLine >> 20) MiB")
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                searched = start
                number += 1
                return (number, line)
            }
            try fill()
        }
    }

    /// Drops the lines already given and reads the next chunk.
    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            searched -= start
            start = 0
        }
        var bytes = [UInt8](repeating: 0, count: Self.chunk)
        while true {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw SimshError.io("events resend: cannot read \(path): \(FileProblem.reason(errno))")
            }
            if n == 0 { atEnd = true } else { buffer.append(contentsOf: bytes[0..<n]) }
            return
        }
    }
}
