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
/// Writes are serialised by `writing`, which also holds the status line shown on a terminal's
/// standard error (`waiting for …`); the editor (set by the REPL, read by announcements from the
/// listener's event loops and rule tasks) is kept in a `Mutex`.
final class StdioSink: OutputSink, Sendable {
    private let writing = NIOLockedValueBox<String?>(nil)
    private let editorBox = Mutex<LineEditor?>(nil)

    /// The line editor announcements print above, while the interactive shell runs.
    var editor: LineEditor? {
        get { editorBox.withLock { $0 } }
        set { editorBox.withLock { $0 = newValue } }
    }

    private let pagerBox = Mutex<Pager?>(nil)
    /// The pager long help and tables go through: set for the interactive shell and one-shot
    /// commands (`simsh CMD`, `-c`) when standard output is a terminal; nil in scripts.
    var pager: Pager? {
        get { pagerBox.withLock { $0 } }
        set { pagerBox.withLock { $0 = newValue } }
    }

    /// Long text through the pager, when there is one and the text is longer than the screen.
    func page(_ text: String) -> Bool {
        guard let pager else { return false }
        return pager.show(text)
    }

    func write(_ text: String, toError: Bool) {
        aroundStatus(lineEnded: text.isEmpty || text.hasSuffix("\n")) {
            Self.writeAll(toError ? STDERR_FILENO : STDOUT_FILENO, text)
        }
    }

    func announce(_ line: String, toError: Bool) {
        let editor = self.editor
        aroundStatus(lineEnded: true) {
            if let editor {
                editor.printAbove(line)
            } else {
                Self.writeAll(toError ? STDERR_FILENO : STDOUT_FILENO, line + "\n")
            }
        }
    }

    /// Standard error is a terminal: only there is a status line drawn (never into a file or pipe).
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    /// Back to the start of the line, and the line erased.
    static let clearLine = "\r\u{1B}[2K"

    /// Draws the status line (cut to the terminal's width, so it stays one row) in place of the
    /// previous one, or erases it (nil).
    func status(_ text: String?) {
        guard Self.stderrIsTerminal else { return }
        writing.withLockedValue { shown in
            if let text {
                let fitted = String(text.prefix(max(1, (Terminal.width() ?? 80) - 1)))
                Self.writeAll(STDERR_FILENO, Self.clearLine + fitted)
                shown = fitted
            } else if shown != nil {
                Self.writeAll(STDERR_FILENO, Self.clearLine)
                shown = nil
            }
        }
    }

    /// Writes (`body`) with the status line taken off first and drawn again below what was
    /// written; dropped when that left a line unfinished.
    private func aroundStatus(lineEnded: Bool, _ body: () -> Void) {
        writing.withLockedValue { shown in
            guard let status = shown else { return body() }
            Self.writeAll(STDERR_FILENO, Self.clearLine)
            body()
            if lineEnded { Self.writeAll(STDERR_FILENO, status) } else { shown = nil }
        }
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        _ = try? FileDescriptor(rawValue: fd).writeAll(text.utf8)
    }
}
