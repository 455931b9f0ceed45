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
    /// Shows a transient status line on standard error in place of the previous one (nil clears
    /// it); a sink that cannot redraw a line in place (a file, a pipe, a buffer) ignores it.
    func status(_ text: String?)
    /// Shows long text (help pages, tables) through a pager (`$PAGER`) when it is more lines
    /// than the terminal has; false when it did not (no terminal, a script, short text), and the
    /// caller writes the text as usual.
    func page(_ text: String) -> Bool
}

extension OutputSink {
    public func announce(_ line: String, toError: Bool) { write(line + "\n", toError: toError) }
    public func status(_ text: String?) {}
    public func page(_ text: String) -> Bool { false }
}

/// What a line of `--output json` is: its `"type"` member.
public enum LineType: String, Sendable {
    /// An API answer (`time_ms`, `status`, `data`, …).
    case answer
    /// A webhook event.
    case event
    /// A dialplan component's request (Smart API, IVR API, …), with the reply given.
    case request
    /// A failed command: `message`, `exit_status`, `location`.
    case error
    /// Anything else a command prints: a line as `text`; a record (`status`, `describe`) as its
    /// members, and `key value` lines also as `values`.
    case text
    /// A call the store's records tell (`calls`).
    case call
    /// One entry of a call's timeline (`calls trace`).
    case trace
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
    private let settings = Mutex<(jsonMode: Bool, secrets: SecretValues?, quiet: Bool)>((false, nil, false))
    /// `--output json`: every line on stdout is one JSON object with a `"type"` (`answer`, `event`,
    /// `request`, `error`, `text`); plain lines become `{"type":"text","text":…}`.
    public var jsonMode: Bool {
        get { settings.withLock { $0.jsonMode } }
        set { settings.withLock { $0.jsonMode = newValue } }
    }
    /// `simsh --quiet`: nothing on standard output; failures, warnings and traces (standard error) still show.
    public var quiet: Bool {
        get { settings.withLock { $0.quiet } }
        set { settings.withLock { $0.quiet = newValue } }
    }
    /// Secret values masked in everything written.
    public var secrets: SecretValues? {
        get { settings.withLock { $0.secrets } }
        set { settings.withLock { $0.secrets = newValue } }
    }

    /// Whether simsh colours diagnostics (standard error): without colour no escape sequence is kept there.
    let color: Bool
    /// Whether what goes to standard output is coloured (tables' headers, JSON, event names):
    /// a terminal there, or `--color always`. Without it, no escape sequence is kept there.
    public let colorOutput: Bool

    public init(sink: OutputSink, color: Bool = false, colorOutput: Bool? = nil) {
        self.colorOutput = colorOutput ?? color
        self.sink = sink
        self.color = color
        self.renderer = DiagnosticRenderer(color: color)
    }

    /// Every write passes here: known secrets are masked, and control characters that text from
    /// a server or a file name may hold cannot drive the terminal.
    private func write(_ text: String, toError: Bool) {
        if !toError && quiet { return }
        let safe = Self.terminalSafe(secrets?.redact(text) ?? text, keepColour: toError ? color : colorOutput)
        sink.write(safe, toError: toError)
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
            json(textObject(text))
        } else {
            write(text + "\n", toError: false)
        }
    }
    public func raw(_ text: String) {
        if jsonMode {
            json(textObject(text))
        } else {
            write(text, toError: false)
        }
    }
    /// `{"type":"text","text":…}`, masked before it is wrapped: a secret inside JSON text
    /// (`"a\"b"`) is escaped twice there.
    private func textObject(_ text: String) -> JSONValue {
        .object([("type", .string(LineType.text.rawValue)), ("text", .string(secrets?.redact(text) ?? text))])
    }
    /// One JSON value on a line of its own.
    public func json(_ value: JSONValue) { write(value.serialized() + "\n", toError: false) }
    /// One JSON object of `type` on a line of its own: `type` first, then the members.
    public func json(_ type: LineType, _ value: JSONValue) { json(Self.typed(type, value)) }
    /// `value` (an object) with `"type"` first; another value is wrapped as `{"type":…,"value":…}`.
    public static func typed(_ type: LineType, _ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else {
            return .object([("type", .string(type.rawValue)), ("value", value)])
        }
        return .object([("type", .string(type.rawValue))] + members.filter { $0.0 != "type" })
    }
    /// A failure: its words on stderr and, with `--output json`, a `"type":"error"` object on
    /// stdout too, so a `jq` pipeline sees it.
    /// `status`: the exit status when it is not the error's own (130 for an interruption).
    public func error(_ error: SimshError, status: Int32? = nil) {
        write(renderer.render(error) + "\n", toError: true)
        if error.asJSON ?? jsonMode {
            var members: [(String, JSONValue)] = [
                ("type", .string(LineType.error.rawValue)), ("message", .string(error.message)),
                ("exit_status", .number(Double(status ?? error.exitStatus))),
            ]
            if let at = error.location {
                members.append(("location", .string("\(at)")))
            }
            json(.object(members))
        }
    }
    public func note(_ text: String) { write(renderer.note(text) + "\n", toError: true) }
    public func warning(_ text: String) { write(renderer.warning(text) + "\n", toError: true) }
    /// A line about what simsh is doing (a banner: `listening on …`), on standard error, so
    /// standard output keeps results alone.
    public func info(_ text: String) { write(text + "\n", toError: true) }
    /// A line of a request/response trace (`-v`), on standard error.
    public func trace(_ text: String) { write(text + "\n", toError: true) }
    public func announce(_ text: String, toError: Bool = false) {
        if !toError && quiet { return }
        let safe = Self.terminalSafe(secrets?.redact(text) ?? text, keepColour: toError ? color : colorOutput)
        sink.announce(safe, toError: toError)
    }
    /// A warning that arrives while other work goes on (above the prompt in the shell).
    public func announceWarning(_ text: String) {
        sink.announce(
            Self.terminalSafe(secrets?.redact(renderer.warning(text)) ?? renderer.warning(text), keepColour: color),
            toError: true)
    }

    /// A transient status line (`waiting for …`), cleared by nil: only a terminal shows it, on
    /// standard error; scripts' files and pipes never get it. One line, without control characters.
    public func status(_ text: String?) {
        sink.status(
            text.map {
                Self.terminalSafe(secrets?.redact($0) ?? $0, keepColour: false)
                    .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
            })
    }

    /// Prints `key  value` rows with the keys padded to one width.
    public func keyValues(_ rows: [(String, String)]) {
        if jsonMode {
            json(
                .object([
                    ("type", .string(LineType.text.rawValue)),
                    ("text", .string(Self.keyValueLines(rows).joined(separator: "\n"))),
                    ("values", .object(rows.map { ($0.0.trimmingCharacters(in: .whitespaces), .string($0.1)) })),
                ]))
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
