import Foundation

/// Drives simsh in a real terminal: a private tmux server, send-keys to type, capture-pane to read.
final class TmuxSession: @unchecked Sendable {
    let socket: String
    let name = "simsh"
    let home: TempDir

    init(arguments: [String] = ["--demo"], home: TempDir = TempDir(), environment: [String: String] = [:]) throws {
        self.home = home
        socket = "simsh-test-\(UUID().uuidString.prefix(8))"
        var env = [
            "HOME": home.path, "SIMSH_CONFIG": home.file("config/config.toml"),
            "SIMSH_HISTFILE": home.file("state/history"), "NO_COLOR": "1", "TERM": "xterm-256color", "LANG": "C.UTF-8",
        ]
        for (k, v) in environment { env[k] = v }
        let exports = env.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let command =
            "env \(exports) \(simshBinary) " + arguments.map { "'\($0)'" }.joined(separator: " ")
            + "; echo \"[simsh exited $?]\""
        // The server forked here must not inherit a pipe we read to its end.
        try tmux(["new-session", "-d", "-s", name, "-x", "120", "-y", "40", command], capture: false)
        try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit {
        _ = try? tmux(["kill-server"], capture: false)
    }

    @discardableResult
    func tmux(_ args: [String], capture: Bool = true) throws -> String {
        // posix_spawn + waitpid: Foundation's Process never sees `tmux new-session -d` end
        // (its server keeps running), so it is not used here.
        Self.closeOnExec()
        let outFile = home.file(".tmux-out-\(UUID().uuidString.prefix(8))")
        defer { unlink(outFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, capture ? outFile : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["tmux", "-L", socket] + args
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for arg in cArgs { free(arg) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, nil, &cArgs, environ)
        guard rc == 0 else { throw SpawnError(message: "cannot run tmux: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return capture ? ((try? String(contentsOfFile: outFile, encoding: .utf8)) ?? "") : ""
    }

    /// Marks every descriptor above stderr close-on-exec, so the tmux server (which outlives
    /// this call) does not inherit pipes that other tests read to their end.
    static func closeOnExec() {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in fds.compactMap(Int32.init) where fd > 2 {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Types literal text (no Enter).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// Presses keys by tmux name: Enter, Tab, C-c, C-d, C-r, Up.
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    var screen: String { (try? tmux(["capture-pane", "-p", "-t", name])) ?? "" }

    /// The screen's non-empty lines.
    var lines: [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: true).map {
            String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    /// Waits until the screen satisfies a condition (10 s at most); returns whether it did.
    @discardableResult
    func waitFor(_ timeout: Double = 10, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(screen) { return true }
            usleep(50_000)
        }
        return condition(screen)
    }

    func waitForText(_ text: String, _ timeout: Double = 10) -> Bool { waitFor(timeout) { $0.contains(text) } }

    /// True when the last line is an empty prompt (capture-pane drops trailing spaces).
    func waitForPrompt(_ prompt: String = "simsh demo>", _ timeout: Double = 10) -> Bool {
        waitFor(timeout) { screen in
            screen.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) == prompt } ?? false
        }
    }

    /// Types a line, presses Enter and waits for the next empty prompt.
    @discardableResult
    func run(_ line: String, prompt: String = "simsh demo>") throws -> Bool {
        try type(line)
        try press("Enter")
        return waitForPrompt(prompt)
    }

    /// The exit status once simsh has ended, or nil while it runs.
    var exitStatus: Int32? {
        guard let range = screen.range(of: #"\[simsh exited (\d+)\]"#, options: .regularExpression) else { return nil }
        return Int32(screen[range].dropFirst("[simsh exited ".count).dropLast())
    }

    func waitForExit(_ timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let s = exitStatus { return s }
            usleep(50_000)
        }
        return exitStatus
    }
}
