import Foundation
import LineEditor
import SimshCore

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The real standard output and error. In the interactive shell, announcements go above the prompt.
final class StdioSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    var editor: LineEditor?

    func write(_ text: String, toError: Bool) {
        lock.withLock { Self.writeAll(toError ? STDERR_FILENO : STDOUT_FILENO, text) }
    }

    func announce(_ line: String) {
        if let editor { editor.printAbove(line) } else { write(line + "\n", toError: false) }
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
