import Foundation

/// One OS thread that runs submitted work in order (libedit's home).
/// Sendable: `queue` and `running` are read and written only under `condition`; `thread` is set once by
/// `start()`, which only `LineEditor.init` calls, before any work is submitted.
final class EditorThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var running = true
    private var thread: Thread?

    func start() {
        let t = Thread { [self] in loop() }
        t.name = "simsh.line-editor"
        t.stackSize = 1 << 20
        thread = t
        t.start()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && running { condition.wait() }
            if queue.isEmpty && !running {
                condition.unlock()
                return
            }
            let work = queue.removeFirst()
            condition.unlock()
            work()
        }
    }

    func async(_ work: @escaping () -> Void) {
        condition.lock()
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    func sync(_ work: @escaping () -> Void) {
        if Thread.current === thread {
            work()
            return
        }
        let done = DispatchSemaphore(value: 0)
        async {
            work()
            done.signal()
        }
        done.wait()
    }

    func stop() {
        condition.lock()
        running = false
        condition.signal()
        condition.unlock()
    }
}
