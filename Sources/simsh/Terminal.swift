import ArgumentParser
import CEditLine
import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Facts about the process's terminal and a no-echo secret reader.
enum Terminal {
    static var stdinIsTTY: Bool { isatty(STDIN_FILENO) == 1 }

    /// The terminal's width in columns, when stdout is a terminal.
    static func width() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
    /// The terminal's height in rows, when stdout is a terminal.
    static func height() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    /// Whether what goes to `fd` (stderr unless told) is coloured: `--color always` yes, `never`
    /// (or `--no-color`) no; `auto` when it is a terminal, NO_COLOR is unset or empty and TERM is
    /// not `dumb`.
    static func useColor(environment: [String: String], fd: Int32 = STDERR_FILENO, mode: ColorMode = .auto) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto:
            return isatty(fd) == 1 && environment["NO_COLOR"].map(\.isEmpty) != false && environment["TERM"] != "dumb"
        }
    }

    /// Reads one line from stdin; on a terminal, shows the prompt on stderr and hides the typing.
    static func readSecret(prompt: String) -> String? {
        let tty = stdinIsTTY
        if tty {
            StdioSink.writeAll(STDERR_FILENO, prompt)
            _ = simsh_set_echo(STDIN_FILENO, 0)
        }
        defer {
            if tty {
                _ = simsh_set_echo(STDIN_FILENO, 1)
                StdioSink.writeAll(STDERR_FILENO, "\n")
            }
        }
        guard let line = readRawLine(STDIN_FILENO) else { return nil }
        return line
    }

    /// Reads bytes up to a newline (unbuffered, so nothing after it is consumed). With
    /// `cancelled`, waits in slices of 50 ms and gives up (nil) as soon as it says so (Ctrl-C at a
    /// `[y/N]` question).
    static func readRawLine(_ fd: Int32, cancelled: (() -> Bool)? = nil) -> String? {
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while true {
            if let cancelled {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                while poll(&pfd, 1, 50) == 0 {
                    if cancelled() { return nil }
                }
                if cancelled() { return nil }
            }
            let n = read(fd, &c, 1)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if c == 0x0A { break }
            bytes.append(c)
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `--color auto|always|never`.
enum ColorMode: String, CaseIterable, ExpressibleByArgument, Sendable {
    case auto, always, never
}
