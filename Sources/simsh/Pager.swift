import Foundation
import SimshRuntime
import Synchronization
import SystemPackage

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Shows long text through `$PAGER` (`less -FRX` when PAGER is not set; PAGER= or PAGER=cat for
/// none), as git does: the pager is a child in simsh's own process group, so it has the terminal;
/// the text goes to its standard input through a pipe, and simsh waits for it, Ctrl-C left to
/// the pager meanwhile (`Pager.isShowing`, read by `Interrupts`). Only when standard output is a
/// terminal and the text is longer than the screen.
struct Pager: Sendable {
    /// The program and its arguments.
    let command: [String]

    /// The pager the environment names, or nil for none. A PAGER of plain words (`less -R`) is
    /// run as those words; one with quotes, `$`, `|` and the like through `/bin/sh -c`.
    init?(environment: [String: String]) {
        guard let pager = environment["PAGER"] else {
            command = ["less", "-FRX"]
            return
        }
        let words = pager.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.isEmpty || words == ["cat"] { return nil }
        let shell = pager.contains { "|&;<>()$`\\\"'*?[#~={}%".contains($0) }
        command = shell ? ["/bin/sh", "-c", pager] : words
    }

    /// True while a pager runs: Ctrl-C is the pager's then, not a cancel of the command.
    static var isShowing: Bool { showing.load(ordering: .relaxed) }
    private static let showing = Atomic<Bool>(false)

    /// Pages `text` when standard output is a terminal and it takes more rows than the terminal
    /// has; false when it did not (the caller writes the text), or when the pager could not start.
    func show(_ text: String) -> Bool {
        guard isatty(STDOUT_FILENO) == 1, let rows = Terminal.height() else { return false }
        guard Self.rows(text, width: Terminal.width() ?? 80) > rows else { return false }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        Self.showing.store(true, ordering: .relaxed)
        defer { Self.showing.store(false, ordering: .relaxed) }
        guard let child = spawn(input: fds[0]) else {
            close(fds[0])
            close(fds[1])
            return false
        }
        close(fds[0])
        // The pager may quit before reading everything (q): the write then fails (EPIPE), which is fine.
        _ = try? FileDescriptor(rawValue: fds[1]).writeAll(text.utf8)
        close(fds[1])
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        // A pager that failed (PAGER=false, a command not found: 127 from sh) showed nothing:
        // the caller writes the text itself.
        return status == 0
    }

    /// posix_spawn of the pager with `input` as its standard input, an empty signal mask and
    /// default dispositions (simsh ignores SIGPIPE and SIGINT; the pager must not), in simsh's
    /// process group (the terminal's foreground group).
    private func spawn(input: Int32) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // The environment, but for the secrets simsh may have been given in it.
        let env = ProcessInfo.processInfo.environment.filter { !["SIMSH_PASSWORD", "SIMSH_API_KEY"].contains($0.key) }
            .map { "\($0.key)=\($0.value)" }
        var cArgs = command.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer {
            for p in cArgs + cEnv { free(p) }
        }
        var child: pid_t = 0
        guard posix_spawnp(&child, command[0], &actions, &attributes, &cArgs, &cEnv) == 0 else { return nil }
        return child
    }

    /// The rows `text` takes on a terminal `width` columns wide (long lines wrap; colour takes none).
    static func rows(_ text: String, width: Int) -> Int {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.reduce(0) { total, line in
            let columns = Style.plain(String(line)).count
            return total + max(1, (columns + max(1, width) - 1) / max(1, width))
        }
    }
}
