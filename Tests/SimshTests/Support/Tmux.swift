import Foundation
import SimshTesting

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
        // The server forked here must not hold a pipe we read to its end: its output is discarded.
        try tmux(["new-session", "-d", "-s", name, "-x", "120", "-y", "40", command], capture: false)
        try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
        let pids = try tmux(["display-message", "-p", "-t", name, "#{pid} #{pane_pid}"])
            .split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        serverPID = pids.first
        panePID = pids.count > 1 ? pids[1] : nil
    }

    private var serverPID: pid_t?
    private var panePID: pid_t?

    /// simsh's process: the child of the pane's shell (`env` became simsh).
    var simshPID: pid_t? {
        guard let panePID,
            let children = try? String(contentsOfFile: "/proc/\(panePID)/task/\(panePID)/children", encoding: .utf8)
        else { return nil }
        return children.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .first
    }

    /// Ends the tmux server and everything in its pane: kill-server (SIGHUP reaches them, as they
    /// start with a clean signal mask), then SIGKILL to whatever is still there after 2 s.
    deinit {
        _ = try? tmux(["kill-server"], capture: false)
        let deadline = Date().addingTimeInterval(2)
        func alive() -> Bool { [serverPID, panePID].compactMap { $0 }.contains { kill($0, 0) == 0 } }
        while alive() && Date() < deadline { usleep(20_000) }
        if let panePID { kill(-panePID, SIGKILL) }
        if let serverPID { kill(serverPID, SIGKILL) }
    }

    /// Runs one tmux command against this session's server and returns what it printed.
    @discardableResult
    func tmux(_ args: [String], capture: Bool = true) throws -> String {
        let child = try ChildProcess("tmux", ["-L", socket] + args, discardOutput: !capture)
        child.closeStdin()
        child.wait(timeout: 20)
        return capture ? child.stdout : ""
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
        // One capture: the screen is read anew at each access.
        let shown = screen
        guard let range = shown.range(of: #"\[simsh exited (\d+)\]"#, options: .regularExpression) else { return nil }
        return Int32(shown[range].dropFirst("[simsh exited ".count).dropLast())
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

extension TmuxSession {
    /// `simsh --demo` in a terminal of 80×24 at its first prompt, and its listener's address (read
    /// from `listen status`): what the interactive tests of issue 23 start from.
    static func demoAt80x24() throws -> (TmuxSession, listenerURL: String) {
        let t = try TmuxSession()
        try t.tmux(["resize-window", "-t", t.name, "-x", "80", "-y", "24"])
        guard t.waitForPrompt(), try t.run("listen status") else {
            throw TmuxError(message: "no prompt: \(t.screen)")
        }
        let screen = t.screen
        guard let listening = screen.range(of: #"listening +http://127\.0\.0\.1:\d+/"#, options: .regularExpression)
        else { throw TmuxError(message: "no listener in listen status: \(screen)") }
        return (t, String(screen[listening].drop(while: { $0 != "h" })))
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
