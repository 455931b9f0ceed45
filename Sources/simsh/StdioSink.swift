import Foundation
import LineEditor
import NIOConcurrencyHelpers
import SimshRuntime
import Synchronization
import SystemPackage

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The real standard output and error. In the interactive shell, announcements go above the prompt.
/// Writes are serialised by `writing`; the editor (set by the REPL, read by announcements from the
/// listener's event loops and rule tasks) is kept in a `Mutex`.
final class StdioSink: OutputSink, Sendable {
    private let writing = NIOLockedValueBox(())
    private let editorBox = Mutex<LineEditor?>(nil)

    /// The line editor announcements print above, while the interactive shell runs.
    var editor: LineEditor? {
        get { editorBox.withLock { $0 } }
        set { editorBox.withLock { $0 = newValue } }
    }

    func write(_ text: String, toError: Bool) {
        writing.withLockedValue { _ in Self.writeAll(toError ? STDERR_FILENO : STDOUT_FILENO, text) }
    }

    func announce(_ line: String, toError: Bool) {
        if let editor { editor.printAbove(line) } else { write(line + "\n", toError: toError) }
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        _ = try? FileDescriptor(rawValue: fd).writeAll(text.utf8)
    }
}
