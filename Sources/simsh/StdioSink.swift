import Foundation
import LineEditor
import SimshCore
import SystemPackage

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

    func announce(_ line: String, toError: Bool) {
        if let editor { editor.printAbove(line) } else { write(line + "\n", toError: toError) }
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        _ = try? FileDescriptor(rawValue: fd).writeAll(text.utf8)
    }
}
