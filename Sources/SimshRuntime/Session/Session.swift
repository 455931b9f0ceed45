import Foundation
import Logging
import SimotelKit
import SimotelSimulator
import SimotelWebhooks
import SimshLanguage
import Synchronization

/// What the shell and scripts share: the connection and its client, variables, output mode,
/// history, profiles, and the embedded simulator of `--demo`.
/// Sendable: its `var`s are views of `state`, a `Mutex`; the rest are `let`s of Sendable types.
public final class Session: Sendable {
    /// The active connection: its profile name (nil for an unnamed URL) and its one client.
    public struct ActiveConnection: Sendable {
        public var name: String?
        public var client: SimotelClient
        /// Where it came from, for `profile save` (env references kept).
        public var profile: Profile
        public var connection: SimotelConnection { client.connection }
    }

    public let output: Output
    public let environment: [String: String]
    public let paths: SimshPaths
    public let profiles: ProfileStore
    public let history: HistoryStore
    public let logger: Logger
    /// The replies the listener gives dialplan components (`answer`).
    public let answerRules = AnswerRules()
    /// What words name and how it runs (the command layer's table).
    public let commands: any CommandSet
    /// Secret values masked wherever simsh writes.
    public let secrets = SecretValues()
    /// The session's mutable state: commands run on one task at a time, but the line editor's
    /// completion, the listener's callbacks and interrupts reach it from other threads.
    struct State {
        var variables: [String: String] = ["?": "0"]
        var outputMode: OutputMode = .auto
        var isInteractive: Bool = false
        var outputIsTerminal: Bool = false
        var terminalWidth: (@Sendable () -> Int?)?
        var active: ActiveConnection?
        var embeddedSimulator: SimotelSimulator?
        var readSecret: (@Sendable (String) -> String?)?
        var confirm: (@Sendable (String) -> Bool)?
        var onHistoryCleared: (@Sendable () -> Void)?
        var sourceStack: [String] = []
        weak var interpreter: Interpreter?
        var lastResponse: JSONValue?
        var responseValue: JSONValue?
        var eventValue: JSONValue?
        var replyValue: JSONValue?
        var ruleAnswer: RuleAnswer?
        var recorder: Recorder?
        var traceLevel: Int = 0
        var traceCapture: (@Sendable (String) -> Void)?
        var values: [String: JSONValue] = [:]
        var listener: WebhookListener?
        var currentCommandMark: Int = 1
        var previousCommandMark: Int = 1
        var lastWaitedSequence: Int = 0
    }
    private let state = Mutex(State())

    /// One field of the state, read or written under the lock.
    private subscript<T: Sendable>(field: WritableKeyPath<State, T> & Sendable) -> T {
        get { state.withLock { $0[keyPath: field] } }
        set { state.withLock { $0[keyPath: field] = newValue } }
    }

    /// Notes where in the event stream a command starts (one lock: it runs for every command).
    func markCommandStart() {
        state.withLock { s in
            s.previousCommandMark = s.currentCommandMark
            s.currentCommandMark = s.listener?.store.upcomingSequence ?? 1
        }
    }

    /// Sets one variable (nil removes it) in place, under the lock: assigning through `variables`
    /// would copy them all for each assignment (a command sets `?`).
    public func setVariable(_ name: String, _ value: String?) { state.withLock { $0.variables[name] = value } }

    /// Sets one typed variable (nil removes it) in place.
    public func setValue(_ name: String, _ value: JSONValue?) { state.withLock { $0.values[name] = value } }

    /// Variables; `?` is the previous command's exit status.
    public var variables: [String: String] {
        get { self[\.variables] }
        set { self[\.variables] = newValue }
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
    public private(set) var active: ActiveConnection? {
        get { self[\.active] }
        set { self[\.active] = newValue }
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
    /// Variables set to typed values (`set NAME = EXPR`).
    public var values: [String: JSONValue] {
        get { self[\.values] }
        set { self[\.values] = newValue }
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

    public init(
        output: Output, commands: any CommandSet, environment: [String: String] = ProcessInfo.processInfo.environment,
        paths: SimshPaths? = nil, logger: Logger = Logger(label: "simsh")
    ) {
        self.output = output
        self.commands = commands
        output.secrets = secrets
        self.environment = environment
        let p = paths ?? SimshPaths.resolve(environment: environment)
        self.paths = p
        self.profiles = ProfileStore(path: p.config)
        self.history = HistoryStore(path: p.history)
        self.logger = logger
    }

    /// The client of the active connection, or a usage error telling how to connect.
    public func requireClient() throws -> SimotelClient {
        guard let active else {
            throw SimshError.usage("not connected (use 'connect URL' or 'connect PROFILE')")
        }
        return active.client
    }

    /// Replaces the active connection (the old client is shut down).
    public func connect(_ connection: SimotelConnection, profile: Profile) async {
        if connection.skipsVerification {
            output.warning(
                "TLS certificate verification is off for \(connection.root) (--insecure): "
                    + "anyone on the network path can read and change this connection")
        }
        secrets.add(connection.credentials)
        let client = SimotelClient(connection: connection, logger: logger)
        client.trace = traceHook
        let old = active
        active = ActiveConnection(name: profile.name.isEmpty ? nil : profile.name, client: client, profile: profile)
        await old?.client.shutdown()
    }

    public func disconnect() async {
        let old = active
        active = nil
        await old?.client.shutdown()
    }

    /// Where the client's trace goes at the current level (nil when tracing is off and nothing
    /// captures it).
    var traceHook: SimotelClient.Trace? {
        guard traceLevel > 0 || traceCapture != nil else { return nil }
        let output = self.output
        let level = traceLevel
        let capture = traceCapture
        return SimotelClient.Trace(timings: level > 1) { text in
            if level > 0 { output.trace(text) }
            capture?(text)
        }
    }

    /// The prompt: `simsh NAME> ` when connected to a named profile, `simsh HOST> ` for an
    /// unnamed URL, `simsh> ` when not connected.
    public var prompt: String {
        guard let active else { return "simsh> " }
        if let name = active.name { return "simsh \(name)> " }
        let host = URLComponents(string: active.connection.root)?.host ?? active.connection.root
        return "simsh \(host)> "
    }

    /// A variable's text, as words expand it: session variables, typed values and their paths
    /// (`$response.data.0.name`, `$user.number`), then the environment.
    public func lookup(_ name: String) -> String? {
        if let text = state.withLock({ $0.variables[name] }) { return text }
        if let value = value(path: name) { return value.displayText }
        return environment[name]
    }

    /// A typed value by name: `response`, `event`, a typed variable, else text as a string.
    public func value(named name: String) -> JSONValue? {
        switch name {
        case "response": return responseValue
        case "event": return eventValue
        case "reply": return replyValue
        default: break
        }
        if let v = values[name] { return v }
        if let text = variables[name] { return .string(text) }
        return environment[name].map { .string($0) }
    }

    /// A dotted path into a typed value (`response.data.0.name`); nil when any step is missing.
    func value(path: String) -> JSONValue? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let root = parts.first else { return nil }
        var v: JSONValue?
        switch root {
        case "response": v = responseValue
        case "event": v = eventValue
        case "reply": v = replyValue
        default: v = values[root]
        }
        for part in parts.dropFirst() {
            switch v {
            case .object(let pairs)?: v = pairs.last { $0.0 == part }?.1
            case .array(let items)?:
                guard let i = Int(part), i >= 0, i < items.count else { return nil }
                v = items[i]
            default: return nil
            }
        }
        return v
    }

    /// Shuts down everything the session started. Call once before the process ends.
    public func close() async {
        await stopListener()
        await disconnect()
        if let sim = embeddedSimulator {
            embeddedSimulator = nil
            await sim.stop()
        }
    }
}
