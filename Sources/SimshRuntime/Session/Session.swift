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
    /// The event store's choice and handle (`Session+Store`).
    let storeState = Mutex(StoreState())
    /// The session's mutable state: commands run on one task at a time, but the line editor's
    /// completion, the listener's callbacks and interrupts reach it from other threads.
    struct State {
        var variables: [String: Variable] = ["?": .text("0")]
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
        var walkValue: JSONValue?
        var ruleAnswer: RuleAnswer?
        var recorder: Recorder?
        var traceLevel: Int = 0
        var traceCapture: (@Sendable (String) -> Void)?
        var listener: WebhookListener?
        var currentCommandMark: Int = 1
        var previousCommandMark: Int = 1
        var lastWaitedSequence: Int = 0
    }
    private let state = Mutex(State())

    /// One field of the state, read or written under the lock.
    subscript<T: Sendable>(field: WritableKeyPath<State, T> & Sendable) -> T {
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

    /// Sets one variable to text (nil removes it) in place, under the lock: assigning through
    /// `variables` would copy them all for each assignment (a command sets `?`).
    public func setVariable(_ name: String, _ text: String?) {
        state.withLock { $0.variables[name] = text.map(Variable.text) }
    }

    /// Sets one variable to a typed value (nil removes it) in place.
    public func setValue(_ name: String, _ value: JSONValue?) {
        state.withLock { $0.variables[name] = value.map(Variable.value) }
    }

    /// One variable, text or typed.
    public func variable(_ name: String) -> Variable? { state.withLock { $0.variables[name] } }

    public private(set) var active: ActiveConnection? {
        get { self[\.active] }
        set { self[\.active] = newValue }
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
        client.onExchange = { [weak self] exchange in self?.storeExchange(exchange) }
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
    public var traceHook: SimotelClient.Trace? {
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
        if let variable = variable(name) { return variable.text }
        if let value = value(path: name) { return value.displayText }
        return environment[name]
    }

    /// A typed value by name: `response`, `event`, a typed variable, else text as a string.
    public func value(named name: String) -> JSONValue? {
        switch name {
        case "response": return responseValue
        case "event": return eventValue
        case "reply": return replyValue
        case "walk": return walkValue
        case "listener": return listenerValue
        default: break
        }
        return variable(name)?.value ?? environment[name].map { .string($0) }
    }

    /// A dotted path into a typed value (`response.data.0.name`); nil when any step is missing.
    public func value(path: String) -> JSONValue? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let root = parts.first else { return nil }
        var v: JSONValue?
        switch root {
        case "response": v = responseValue
        case "event": v = eventValue
        case "reply": v = replyValue
        case "walk": v = walkValue
        case "listener": v = listenerValue
        default: if case .value(let typed)? = variable(root) { v = typed }
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
        await closeStore()
        if let sim = embeddedSimulator {
            embeddedSimulator = nil
            await sim.stop()
        }
    }
}
