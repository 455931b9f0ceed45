import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A child process started the one way tests start processes: an empty signal mask and default
/// signal dispositions (the test process's threads block signals, and a child would inherit
/// that), its own process group, no descriptors but its three pipes, and stopped with SIGTERM
/// then SIGKILL to the whole group, with a bounded wait.
package final class ChildProcess: @unchecked Sendable {
    package let pid: pid_t
    private let stdoutRead: Int32
    private let stderrRead: Int32
    private var stdinWrite: Int32
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private var exitStatus: Int32?
    private let readers = DispatchGroup()

    /// Starts `path` (a bare name is looked up in PATH) with `arguments`; `environment` replaces
    /// the parent's when given. With `discardOutput` its stdout and stderr go to /dev/null (for a
    /// child that leaves a daemon behind, which would hold a pipe open).
    package init(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, discardOutput: Bool = false
    )
        throws
    {
        let path = Self.resolve(path)
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw SpawnError(message: "pipe failed")
        }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let (rc, child) = Self.spawn(
            path, arguments, environment: environment, pipes: (inPipe, outPipe, errPipe), discardOutput: discardOutput)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnError(message: "cannot start \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        stdinWrite = inPipe[1]
        stdoutRead = outPipe[0]
        stderrRead = errPipe[0]
        ChildProcess.register(pid)
        collect(stdoutRead) { [self] d in lock.withLock { out.append(d) } }
        collect(stderrRead) { [self] d in lock.withLock { err.append(d) } }
    }

    /// posix_spawn with the pipes as the child's stdin, stdout and stderr, an empty signal mask,
    /// default dispositions and a process group of its own; returns its result and the child.
    static func spawn(
        _ path: String, _ arguments: [String], environment: [String: String]?,
        pipes: (in: [Int32], out: [Int32], err: [Int32]), discardOutput: Bool
    ) -> (Int32, pid_t) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes.in[0], 0)
        if discardOutput {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, pipes.out[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipes.err[1], 2)
        }
        // Nothing of the test process's but the three pipes (glibc's closefrom for posix_spawn).
        if let addClosefrom = Self.addClosefrom { _ = addClosefrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cArgs = ([path] + arguments).map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer {
            for p in cArgs + cEnv { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes, &cArgs, &cEnv)
        return (rc, child)
    }

    deinit {
        stop()
        if stdinWrite >= 0 { close(stdinWrite) }
    }

    private func collect(_ fd: Int32, _ add: @escaping @Sendable (Data) -> Void) {
        readers.enter()
        Thread.detachNewThread { [readers] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                add(Data(buffer[0..<n]))
            }
            close(fd)
            readers.leave()
        }
    }

    package func writeStdin(_ text: String) {
        _ = text.withCString { write(stdinWrite, $0, strlen($0)) }
    }

    package func closeStdin() {
        if stdinWrite >= 0 { close(stdinWrite) }
        stdinWrite = -1
    }

    package var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    package var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    /// Waits (polling, up to `timeout`) until `condition` holds; true when it did.
    @discardableResult
    package func waitFor(timeout: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            if !isRunning { return condition() }
            usleep(10_000)
        }
        return condition()
    }

    /// The first match of a regular expression in what the child printed, waiting for it.
    package func waitForOutput(_ pattern: String, timeout: Double = 30, onStandardError: Bool = false) -> String? {
        var found: String?
        waitFor(timeout: timeout) {
            let text = onStandardError ? stderr : stdout
            if let r = text.range(of: pattern, options: .regularExpression) { found = String(text[r]) }
            return found != nil
        }
        return found
    }

    /// The address `listen events` prints in its banner (on standard error): `http://127.0.0.1:PORT`.
    package func waitForListenerURL(timeout: Double = 30) -> String? {
        waitForOutput(#"http://127\.0\.0\.1:\d+"#, timeout: timeout, onStandardError: true)
    }

    package var isRunning: Bool {
        lock.withLock {
            if exitStatus != nil { return false }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exitStatus = Self.decode(status)
                ChildProcess.unregister(pid)
                return false
            }
            return r == 0
        }
    }

    /// Waits for the child to end by itself (up to `timeout`), then stops it; returns its status.
    @discardableResult
    package func wait(timeout: Double = 60) -> Int32 {
        waitFor(timeout: timeout) { !isRunning }
        stop()
        readers.wait()
        return lock.withLock { exitStatus ?? -1 }
    }

    /// SIGTERM to the group, up to 2 s, then SIGKILL; always reaps.
    package func stop() {
        guard isRunning else { return }
        kill(-pid, SIGTERM)
        if !waitFor(timeout: 2, { !isRunning }) {
            kill(-pid, SIGKILL)
            _ = waitFor(timeout: 5) { !isRunning }
        }
        kill(-pid, SIGKILL)  // anything the child left in its group
    }

    /// Resident memory of the child, in bytes (from /proc).
    package var residentBytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kb * 1024
    }

    /// A bare program name looked up in PATH, as a shell would.
    static func resolve(_ name: String) -> String {
        guard !name.contains("/") else { return name }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for dir in dirs where access("\(dir)/\(name)", X_OK) == 0 { return "\(dir)/\(name)" }
        return name
    }

    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    static let addClosefrom: AddClosefrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddClosefrom.self)
    }()

    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    // Every live child, so that an exit of the test process can still end them.
    nonisolated(unsafe) private static var live: Set<pid_t> = []
    nonisolated(unsafe) private static var atExitSet = false
    private static let liveLock = NSLock()
    private static func register(_ pid: pid_t) {
        liveLock.withLock {
            if !atExitSet { atexit { ChildProcess.killAll() } }
            atExitSet = true
            live.insert(pid)
        }
    }
    private static func unregister(_ pid: pid_t) { liveLock.withLock { _ = live.remove(pid) } }
    static func killAll() { liveLock.withLock { for pid in live { kill(-pid, SIGKILL) } } }
}

/// `simsh` with a private home, started as a `ChildProcess`.
package func startSimsh(_ arguments: [String], home: TempDir, environment: [String: String] = [:]) throws
    -> ChildProcess
{
    var env = simshEnvironment(home: home)
    for (k, v) in environment { env[k] = v }
    return try ChildProcess(simshBinary, arguments, environment: env)
}

/// The test process's environment for a simsh of its own: files in `home`, no connection
/// variables, no colour.
package func simshEnvironment(home: TempDir) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    for key in ["SIMSH_URL", "SIMSH_USER", "SIMSH_PASSWORD", "SIMSH_API_KEY", "SIMSH_STORE"] { env[key] = nil }
    env["HOME"] = home.path
    // The event store too: $XDG_STATE_HOME/simsh/events.db in the private home.
    env["XDG_STATE_HOME"] = home.file("state")
    env["SIMSH_CONFIG"] = home.file("config/config.toml")
    env["SIMSH_HISTFILE"] = home.file("state/history")
    env["NO_COLOR"] = "1"
    return env
}
