import Foundation
import SimotelKit
import SimotelSimulator
import SimotelWebhooks
import SimshLanguage

/// The session's state, field by field: each a view of `state` under its lock.
extension Session {
    /// Every variable, text or typed (one store: setting a name replaces what it held); `?` is
    /// the previous command's exit status.
    public var variables: [String: Variable] { self[\.variables] }
    /// The variables holding text (`set NAME VALUE`, `--var`, `$1`, secrets).
    public var textVariables: [String: String] {
        variables.compactMapValues { if case .text(let text) = $0 { text } else { nil } }
    }
    public var outputMode: OutputMode {
        get { self[\.outputMode] }
        set {
            self[\.outputMode] = newValue
            output.jsonMode = outputMode == .json
        }
    }
    public var isInteractive: Bool {
        get { self[\.isInteractive] }
        set { self[\.isInteractive] = newValue }
    }
    /// Standard output is a terminal: search results print as tables (unless an output mode was chosen).
    public var outputIsTerminal: Bool {
        get { self[\.outputIsTerminal] }
        set { self[\.outputIsTerminal] = newValue }
    }
    /// The terminal's width in columns (tables fit it), when stdout is a terminal.
    public var terminalWidth: (@Sendable () -> Int?)? {
        get { self[\.terminalWidth] }
        set { self[\.terminalWidth] = newValue }
    }
    /// The simulator started by `--demo`.
    public var embeddedSimulator: SimotelSimulator? {
        get { self[\.embeddedSimulator] }
        set { self[\.embeddedSimulator] = newValue }
    }
    /// Reads a secret from the user (no echo on a terminal); nil when none can be read.
    public var readSecret: (@Sendable (String) -> String?)? {
        get { self[\.readSecret] }
        set { self[\.readSecret] = newValue }
    }
    /// Asks the person at the terminal a yes/no question (interactive shell only).
    public var confirm: (@Sendable (String) -> Bool)? {
        get { self[\.confirm] }
        set { self[\.confirm] = newValue }
    }
    /// Called after `history -c` so the line editor forgets too.
    public var onHistoryCleared: (@Sendable () -> Void)? {
        get { self[\.onHistoryCleared] }
        set { self[\.onHistoryCleared] = newValue }
    }
    /// The scripts being run, innermost last (for `source` and relative paths).
    package var sourceStack: [String] {
        get { self[\.sourceStack] }
        set { self[\.sourceStack] = newValue }
    }
    /// The interpreter running this session's commands (for `source`).
    package var interpreter: Interpreter? {
        get { self[\.interpreter] }
        set { self[\.interpreter] = newValue }
    }
    /// The last API answer, as JSON (for later commands).
    public var lastResponse: JSONValue? {
        get { self[\.lastResponse] }
        set { self[\.lastResponse] = newValue }
    }
    /// `$response`: the last answer's envelope with its HTTP `status` and `time_ms`.
    public var responseValue: JSONValue? {
        get { self[\.responseValue] }
        set { self[\.responseValue] = newValue }
    }
    /// `$event`: the last event waited for.
    public var eventValue: JSONValue? {
        get { self[\.eventValue] }
        set { self[\.eventValue] = newValue }
    }
    /// `$reply`: the last component service's reply (`component call`).
    public var replyValue: JSONValue? {
        get { self[\.replyValue] }
        set { self[\.replyValue] = newValue }
    }
    /// In an answer rule's script: the request's kind and the reply given (`reply`).
    package var ruleAnswer: RuleAnswer? {
        get { self[\.ruleAnswer] }
        set { self[\.ruleAnswer] = newValue }
    }
    /// `record FILE`: where the shell's entries are written as a script.
    public var recorder: Recorder? {
        get { self[\.recorder] }
        set { self[\.recorder] = newValue }
    }
    /// `-v`: 1 traces each request and answer on standard error, 2 adds timings.
    public var traceLevel: Int {
        get { self[\.traceLevel] }
        set {
            self[\.traceLevel] = newValue
            active?.client.trace = traceHook
        }
    }
    /// Also receives every trace text (what `simsh test` keeps of the last exchange).
    public var traceCapture: (@Sendable (String) -> Void)? {
        get { self[\.traceCapture] }
        set {
            self[\.traceCapture] = newValue
            active?.client.trace = traceHook
        }
    }
    /// The one webhook listener (`listen events`, `--demo`).
    public internal(set) var listener: WebhookListener? {
        get { self[\.listener] }
        set { self[\.listener] = newValue }
    }
    /// Where the running and the previous command started in the event stream.
    var currentCommandMark: Int {
        get { self[\.currentCommandMark] }
        set { self[\.currentCommandMark] = newValue }
    }
    var previousCommandMark: Int {
        get { self[\.previousCommandMark] }
        set { self[\.previousCommandMark] = newValue }
    }
    /// The last event a wait returned (`wait event`, `expect event`).
    var lastWaitedSequence: Int {
        get { self[\.lastWaitedSequence] }
        set { self[\.lastWaitedSequence] = newValue }
    }
}
