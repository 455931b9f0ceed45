import Foundation
import NIOConcurrencyHelpers
import SimotelKit
import SimshLanguage
import Synchronization

/// Where the core's text goes; the executable supplies real stdio, tests a buffer.
public protocol OutputSink: AnyObject, Sendable {
    /// Writes text as is (it carries its own newlines).
    func write(_ text: String, toError: Bool)
    /// Writes a line that arrives while another command may be running or the user is
    /// typing (webhook events, warnings from the listener); an interactive sink prints it above
    /// the prompt, others write it to standard output or error.
    func announce(_ line: String, toError: Bool)
}

extension OutputSink {
    public func announce(_ line: String, toError: Bool) { write(line + "\n", toError: toError) }
}

/// How results are printed.
public enum OutputMode: String, Sendable, CaseIterable {
    /// Tables on a terminal, indented JSON otherwise (the default).
    case auto
    /// Search results as tables wherever they go.
    case table
    /// Answers as indented JSON.
    case pretty
    /// For programs: exactly one JSON value per line, for every command that prints.
    case json
}

/// The only way the core writes: lines to stdout, diagnostics to stderr.
/// Sendable: `jsonMode` and `secrets` are views of a `Mutex` (announcements come from other
/// threads); the rest are `let`s of Sendable types.
public final class Output: Sendable {
    public let sink: OutputSink
    public let renderer: DiagnosticRenderer
    private let settings = Mutex<(jsonMode: Bool, secrets: SecretValues?)>((false, nil))
    /// `--output json`: every line on stdout is one JSON value (plain lines become `{"text":…}`).
    public var jsonMode: Bool {
        get { settings.withLock { $0.jsonMode } }
        set { settings.withLock { $0.jsonMode = newValue } }
    }
    /// Secret values masked in everything written.
    public var secrets: SecretValues? {
        get { settings.withLock { $0.secrets } }
        set { settings.withLock { $0.secrets = newValue } }
    }

    /// Whether simsh colours what it writes: without colour no escape sequence is kept at all.
    let color: Bool

    public init(sink: OutputSink, color: Bool = false) {
        self.sink = sink
        self.color = color
        self.renderer = DiagnosticRenderer(color: color)
    }

    /// Every write passes here: known secrets are masked, and control characters that text from
    /// a server or a file name may hold cannot drive the terminal.
    private func write(_ text: String, toError: Bool) {
        sink.write(Self.terminalSafe(secrets?.redact(text) ?? text, keepColour: color), toError: toError)
    }

    /// Text with control characters (other than newline, tab and simsh's own colour sequences)
    /// replaced by `�`: a server's `\u{1B}]0;title\u{7}` or a file name's escape does nothing.
    public static func terminalSafe(_ text: String, keepColour: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if keepColour, c == "\u{1B}", i + 1 < scalars.count, scalars[i + 1] == "[" {
                // A colour (SGR) sequence, `ESC [ digits ; … m`, is kept whole.
                var j = i + 2
                while j < scalars.count, ("0"..."9").contains(scalars[j]) || scalars[j] == ";" { j += 1 }
                if j < scalars.count, scalars[j] == "m" {
                    out.append(contentsOf: scalars[i...j])
                    i = j + 1
                    continue
                }
            }
            out.append(isControl(c) ? "\u{FFFD}" : c)
            i += 1
        }
        return String(out)
    }

    /// C0 and C1 controls, and the bidirectional overrides and isolates, which reorder what
    /// follows them on the line (a field could make a warning read backwards).
    static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c.value >= 0x20 && c.value < 0x7F { return false }  // printable ASCII: nearly all of it
        return (c.value < 0x20 && c != "\n" && c != "\t") || (0x7F...0x9F).contains(c.value)
            || (0x202A...0x202E).contains(c.value) || (0x2066...0x2069).contains(c.value)
    }

    public func line(_ text: String = "") {
        if jsonMode {
            // Masked before it is wrapped: a secret inside JSON text (`"a\"b"`) is escaped twice there.
            json(.object([("text", .string(secrets?.redact(text) ?? text))]))
        } else {
            write(text + "\n", toError: false)
        }
    }
    public func raw(_ text: String) {
        if jsonMode {
            json(.object([("text", .string(secrets?.redact(text) ?? text))]))
        } else {
            write(text, toError: false)
        }
    }
    /// One JSON value on a line of its own.
    public func json(_ value: JSONValue) { write(value.serialized() + "\n", toError: false) }
    public func error(_ error: SimshError) { write(renderer.render(error) + "\n", toError: true) }
    public func note(_ text: String) { write(renderer.note(text) + "\n", toError: true) }
    public func warning(_ text: String) { write(renderer.warning(text) + "\n", toError: true) }
    /// A line of a request/response trace (`-v`), on standard error.
    public func trace(_ text: String) { write(text + "\n", toError: true) }
    public func announce(_ text: String, toError: Bool = false) {
        sink.announce(Self.terminalSafe(secrets?.redact(text) ?? text, keepColour: color), toError: toError)
    }
    /// A warning that arrives while other work goes on (above the prompt in the shell).
    public func announceWarning(_ text: String) {
        sink.announce(
            Self.terminalSafe(secrets?.redact(renderer.warning(text)) ?? renderer.warning(text), keepColour: color),
            toError: true)
    }

    /// Prints `key  value` rows with the keys padded to one width.
    public func keyValues(_ rows: [(String, String)]) {
        if jsonMode {
            json(.object(rows.map { ($0.0.trimmingCharacters(in: .whitespaces), .string($0.1)) }))
            return
        }
        for text in Self.keyValueLines(rows) { line(text) }
    }

    /// `key  value` lines, the keys padded to one width.
    public static func keyValueLines(_ rows: [(String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
    }
}

/// An output sink that keeps everything (tests, golden scripts).
public final class BufferSink: OutputSink, Sendable {
    private let text = NIOLockedValueBox((out: "", err: "", combined: ""))

    public init() {}

    public func write(_ text: String, toError: Bool) {
        self.text.withLockedValue {
            if toError { $0.err += text } else { $0.out += text }
            $0.combined += text
        }
    }

    public var standardOutput: String { text.withLockedValue { $0.out } }
    public var standardError: String { text.withLockedValue { $0.err } }
    /// Both streams, in the order written.
    public var all: String { text.withLockedValue { $0.combined } }
}
