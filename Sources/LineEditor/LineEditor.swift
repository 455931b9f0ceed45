import CEditLine
import Foundation
import SystemPackage

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A line editor on libedit's native API. libedit runs on one dedicated thread (it is not
/// thread-safe, and a blocking read must not hold a cooperative thread); everything else talks
/// to that thread. Messages from any thread are printed above the prompt while the user types,
/// and the half-typed line is redrawn intact.
/// Sendable: `el`, `hist`, `context`, `promptStorage` and `interruptFlag` are touched only on `thread` (or in
/// `init` before it starts, in `deinit` after its last job); `pendingMessages` and `isEditing` under `messageLock`.
public final class LineEditor: @unchecked Sendable {
    /// What a read returned.
    public enum Input: Equatable, Sendable {
        case line(String)
        /// Ctrl-C: the typed line was discarded.
        case interrupted
        /// Ctrl-D on an empty line, or the terminal went away.
        case endOfFile
    }

    /// Given the text before the cursor, the candidates for the word being typed.
    public typealias Completer = @Sendable (String) -> Completion

    let completer: Completer
    private let thread = EditorThread()
    var el: OpaquePointer?
    var hist: OpaquePointer?
    var context = UnsafeMutablePointer<simsh_el_ctx>.allocate(capacity: 1)
    private var promptStorage: UnsafeMutablePointer<CChar>?
    var interruptFlag = false

    let messageLock = NSLock()
    var pendingMessages: [String] = []
    var isEditing = false
    let wakePipe: (read: Int32, write: Int32)

    public init(programName: String = "simsh", completer: @escaping Completer) {
        self.completer = completer
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        }
        wakePipe = (fds[0], fds[1])
        context.initialize(to: simsh_el_ctx())
        thread.start()
        thread.sync { self.setUp(programName: programName) }
    }

    deinit {
        thread.sync { [self] in
            if let el { el_end(el) }
            if let hist { history_end(hist) }
        }
        thread.stop()
        close(wakePipe.read)
        close(wakePipe.write)
        promptStorage.map { free($0) }
        context.deallocate()
    }

    private func setUp(programName: String) {
        _ = simsh_setlocale_utf8()
        el = simsh_el_init(programName, simsh_stdin(), simsh_stdout(), simsh_stderr())
        guard let el else { return }
        context.pointee.in_fd = STDIN_FILENO
        context.pointee.wake_fd = wakePipe.read
        context.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        context.pointee.on_wake = { el in LineEditor.owner(of: el)?.printPendingMessages() }
        simsh_el_setup(el, context)
        hist = simsh_history_init(10_000)
        simsh_el_set_history(el, hist)
        simsh_el_add_function(
            el, "simsh-complete", "Complete the word",
            { el, _ in
                LineEditor.owner(of: el)?.complete() ?? UInt8(CC_ERROR)
            })
        simsh_el_add_function(
            el, "simsh-interrupt", "Discard the line",
            { el, _ in
                LineEditor.owner(of: el)?.interrupt() ?? UInt8(CC_ERROR)
            })
        simsh_el_bind(el, "^I", "simsh-complete")
        simsh_el_bind(el, "^C", "simsh-interrupt")
        simsh_el_bind(el, "^R", "em-inc-search-prev")
        simsh_el_bind(el, "^S", "em-inc-search-next")
        simsh_el_bind(el, "\\e[1;5C", "em-next-word")
        simsh_el_bind(el, "\\e[1;5D", "ed-prev-word")
        simsh_el_bind(el, "\\e[3~", "ed-delete-next-char")
        simsh_el_bind(el, "\\e[H", "ed-move-to-beg")
        simsh_el_bind(el, "\\e[F", "ed-move-to-end")
        _ = simsh_el_source_default(el)
    }

    static func owner(of el: OpaquePointer?) -> LineEditor? {
        guard let el, let ctx = simsh_el_context(el), let owner = ctx.pointee.owner else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(owner).takeUnretainedValue()
    }

    /// Reads one line with the prompt shown. Runs on the editor thread; the caller's task waits.
    public func readLine(prompt: String) async -> Input {
        await withCheckedContinuation { continuation in
            thread.async {
                continuation.resume(returning: self.readOnEditorThread(prompt: prompt))
            }
        }
    }

    private func readOnEditorThread(prompt: String) -> Input {
        guard let el else { return .endOfFile }
        promptStorage.map { free($0) }
        promptStorage = strdup(prompt)
        context.pointee.prompt = UnsafePointer(promptStorage)
        interruptFlag = false
        messageLock.withLock { isEditing = true }
        var count: Int32 = 0
        let raw = el_gets(el, &count)
        let leftover = messageLock.withLock { () -> [String] in
            isEditing = false
            defer { pendingMessages.removeAll() }
            return pendingMessages
        }
        if !leftover.isEmpty { writeOut(leftover.map { $0 + "\n" }.joined()) }
        if interruptFlag { return .interrupted }
        guard let raw, count > 0 else { return .endOfFile }
        var text = String(cString: raw)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// Adds a line to the in-memory history that Ctrl-R and the arrow keys walk.
    public func addHistory(_ line: String) {
        thread.async { [self] in
            if let hist { _ = simsh_history_enter(hist, line) }
        }
    }

    /// Loads stored history (oldest first).
    public func loadHistory(_ lines: [String]) {
        thread.sync { [self] in
            guard let hist else { return }
            for line in lines { _ = simsh_history_enter(hist, line) }
        }
    }

    public func clearHistory() {
        thread.async { [self] in
            if let hist { _ = simsh_history_clear(hist) }
        }
    }

    /// Prints a line above the prompt; safe from any thread. While the user types, the prompt
    /// and the partial line are redrawn below it; otherwise the line is written at once.
    public func printAbove(_ message: String) {
        let queued = messageLock.withLock { () -> Bool in
            guard isEditing else { return false }
            pendingMessages.append(message)
            return true
        }
        if queued {
            var byte: UInt8 = 1
            _ = write(wakePipe.write, &byte, 1)
        } else {
            writeOut(message + "\n")
        }
    }

    /// Writes text to the terminal, serialised with the editor's own redraws.
    func writeOut(_ text: String) {
        messageLock.withLock {
            _ = try? FileDescriptor.standardOutput.writeAll(text.utf8)
        }
    }
}
