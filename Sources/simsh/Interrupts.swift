import Dispatch
import Foundation
import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Ctrl-C outside the line editor cancels the running command, not the shell.
/// Sendable: every `var` is read and written under `lock` (the signal handler runs on a
/// dispatch queue). Unchecked because Dispatch's signal sources are not `Sendable`, so a `Mutex`
/// cannot hold the ones kept alive here.
final class Interrupts: @unchecked Sendable {
    private let lock = NSLock()
    private var current: (() -> Void)?
    private var sources: [DispatchSourceSignal] = []
    private var interruptHook: (@Sendable () -> Void)?
    /// Runs on Ctrl-C while a command runs (the REPL starts a new line).
    var onInterrupt: (@Sendable () -> Void)? {
        get { lock.withLock { interruptHook } }
        set { lock.withLock { interruptHook = newValue } }
    }

    /// Ctrl-C (and any other signal given, such as SIGTERM for `simsh test`) cancels the work.
    func install(signals: [Int32] = [SIGINT]) {
        for number in signals {
            signal(number, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: number, queue: .global())
            s.setEventHandler { [weak self] in
                // Ctrl-C while a pager shows long text is the pager's (simsh shares its process group).
                guard let self, !(number == SIGINT && Pager.isShowing) else { return }
                let (cancel, hook) = self.lock.withLock { (self.current, self.interruptHook) }
                if let cancel {
                    hook?()
                    cancel()
                }
            }
            s.resume()
            lock.withLock { sources.append(s) }
        }
    }

    /// SIGHUP reopens the event logs (`listen events --log`) at their paths instead of ending
    /// simsh: logrotate's convention for a daemon, for a script or `simsh test` that listens.
    /// Not in the interactive shell, where SIGHUP is the terminal hanging up and ends the shell
    /// (a log moved or deleted is noticed there at the next event all the same).
    func reopenLogsOnHangup() {
        signal(SIGHUP, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        s.setEventHandler { Session.reopenEventLogs() }
        s.resume()
        lock.withLock { sources.append(s) }
    }

    /// Runs work as a task that Ctrl-C cancels.
    func cancellable<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await work() }
        lock.withLock { current = { task.cancel() } }
        defer { lock.withLock { current = nil } }
        return await task.value
    }
}
