import Dispatch
import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Ctrl-C outside the line editor cancels the running command, not the shell.
final class Interrupts: @unchecked Sendable {
    private let lock = NSLock()
    private var current: (() -> Void)?
    private var sources: [DispatchSourceSignal] = []
    /// Runs on Ctrl-C while a command runs (the REPL starts a new line).
    var onInterrupt: (@Sendable () -> Void)?

    /// Ctrl-C (and any other signal given, such as SIGTERM for `simsh test`) cancels the work.
    func install(signals: [Int32] = [SIGINT]) {
        for number in signals {
            signal(number, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: number, queue: .global())
            s.setEventHandler { [weak self] in
                let cancel = self?.lock.withLock { self?.current }
                if let cancel {
                    self?.onInterrupt?()
                    cancel()
                }
            }
            s.resume()
            sources.append(s)
        }
    }

    /// Runs work as a task that Ctrl-C cancels.
    func cancellable<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await work() }
        lock.withLock { current = { task.cancel() } }
        defer { lock.withLock { current = nil } }
        return await task.value
    }
}
