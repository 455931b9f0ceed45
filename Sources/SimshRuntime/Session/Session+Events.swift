import Foundation
import SimotelKit
import SimotelWebhooks
import SimshLanguage

/// How recorded events are shown as they arrive.
public enum EventFormat: String, Sendable, CaseIterable {
    case pretty, json
}

extension Session {
    /// Starts the session's one listener (used by `listen events` and `--demo`).
    public func startListener(_ configuration: ListenerConfiguration, display: EventFormat?) async throws
        -> WebhookListener
    {
        var configuration = configuration
        // Every accepted event is stored before it is answered: the store opens now.
        configuration.recordStore = try await recordStore()
        if let store = configuration.recordStore { await startPruning(store) }
        let listener = WebhookListener(configuration: configuration, logger: logger)
        // The password it requires and the credentials it forwards with are masked from now on.
        if let auth = configuration.basicAuth { secrets.add(auth.password) }
        for (name, value) in configuration.forwardHeaders {
            secrets.add(SecretNames.headerCredential(name: name, value: value))
        }
        let output = self.output
        if let display {
            listener.onEvent = { event in output.announce(Self.describe(event, format: display, style: output.style)) }
        }
        listener.onForward = { line in output.announce(line) }
        listener.forwardTrace = { [weak self] in
            guard let self, self.traceLevel > 0 else { return nil }
            return SimotelClient.Trace(timings: false) { output.announce($0, toError: true) }
        }
        let rules = answerRules
        let (environment, paths, commands) = (self.environment, self.paths, self.commands)
        rules.runScript.set { rule, payload in
            await Session.runRule(
                rule, payload: payload, commands: commands, environment: environment, paths: paths, output: output)
        }
        listener.componentAnswer = { payload in rules.answer(to: payload) }
        listener.onWarning = { line in output.announceWarning(line) }
        // A refused request (401, 404, 413, …): above the prompt in the shell, on stderr otherwise.
        listener.onRejection = { line in output.announce(line, toError: true) }
        do {
            try await listener.start()
        } catch {
            throw SimshError.io("\(error)")
        }
        self.listener = listener
        lastWaitedSequence = 0
        embeddedSimulator?.eventsURL = listener.url
        return listener
    }

    /// Opens every listener's `--log` file at its path again (SIGHUP when simsh is not
    /// interactive: logrotate's convention), the rule scripts' listeners too.
    public static func reopenEventLogs() {
        WebhookListener.reopenLogs()
    }

    public func stopListener() async {
        let l = listener
        listener = nil
        await l?.stop()
    }

    /// `12:00:01.123 <-- Ping [#3] exten=991 state=InUse`, or the event as one JSON line.
    public static func describe(_ event: ReceivedEvent, format: EventFormat, style: Style = Style(enabled: false))
        -> String
    {
        switch format {
        case .json: return event.typedJSON.serialized()
        case .pretty:
            let fields = event.keyFieldText
            return "\(clockTime(event.receivedAt)) <-- \(style.eventName(event.name)) [#\(event.number)]"
                + (fields.isEmpty ? "" : "  \(fields)")
                + (event.reply.map { "  --> \($0.serialized())" } ?? "")
        }
    }

    /// `19:16:23.012`, local time: shown for every event, so without a DateFormatter (which
    /// builds an ICU formatter each time).
    static func clockTime(_ date: Date) -> String {
        let total = Int((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(total / 1000)
        let millis = total % 1000
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)"
    }

    /// Remembers where each command starts in the event stream, so that `wait event` sees
    /// events that arrived during the previous command (`ping` then `wait event Ping`).
    /// The first event named `name` (any case) matching every condition, received since the
    /// start of the previous command (`onlyNew`: since the start of this one); an expectation
    /// failure saying what did arrive when none comes within `seconds`. On a terminal, a wait
    /// past 2 s shows `waiting for LABEL (…)…` until it ends (`label`: the event's name).
    package func waitForEvent(
        _ name: String, where conditions: [FieldCondition], seconds: Double, onlyNew: Bool = false,
        label: String? = nil
    ) async throws -> ReceivedEvent {
        let listener = try requireListener()
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        // An event already returned by a wait is not returned again.
        let from = max(onlyNew ? currentCommandMark : previousCommandMark, lastWaitedSequence + 1)
        // Recorded names of known events are spelled as the catalog spells them.
        let canonical = EventCatalog.kind(named: name)?.name ?? name
        let status = startWaitingStatus(for: label ?? canonical, seconds: seconds)
        let found: ReceivedEvent?
        do {
            found = try await listener.store.first(from: from, until: deadline) { e in
                (e.name == canonical
                    || (e.name.utf8.count == canonical.utf8.count
                        && e.name.caseInsensitiveCompare(name) == .orderedSame))
                    && conditions.allSatisfy { e.matches($0.field, $0.value) }
            }
        } catch {
            await endWaitingStatus(status)
            throw error
        }
        await endWaitingStatus(status)
        if let found {
            lastWaitedSequence = found.sequence
            return found
        }
        let arrived = listener.store.all.filter { $0.sequence >= from }
        let what =
            arrived.isEmpty
            ? "nothing arrived"
            : "arrived: " + arrived.suffix(10).map { "\($0.name) #\($0.number)" }.joined(separator: ", ")
        let condition =
            conditions.isEmpty ? "" : " with " + conditions.map { "\($0.field)=\($0.value)" }.joined(separator: " ")
        let within = DurationArgument(seconds: seconds).text
        let new = onlyNew ? "new " : ""
        // Then why it may not have come, a note a line (`WaitExplanation`).
        let notes = waitNotes(for: [name], arrived: arrived, from: from)
        throw SimshError(.expectation, "no \(new)\(name) event\(condition) within \(within); \(what)" + notes)
    }

    /// A receiver's URL as typed: without `user:password@` (that password masked from now on
    /// wherever simsh writes), and those credentials, to send as Basic auth.
    public func receiver(_ url: String) -> (url: String, basicAuth: (user: String, password: String)?) {
        let split = ReceiverURL.split(url)
        if let auth = split.basicAuth, !auth.password.isEmpty { secrets.add(auth.password) }
        return split
    }

    /// Makes `event` the current `$event` and prints it (`wait event`, `wait request`, `events
    /// use`): one typed JSON line with `--output json`, else its line; `brief` (the shell already
    /// printed it as it arrived) only `got NAME [#N]`.
    public func useEvent(_ event: ReceivedEvent, brief: Bool = false) {
        exportEventVariables(event)
        if outputMode == .json {
            output.json(event.typedJSON)
        } else if brief {
            output.line("got \(event.name) [#\(event.number)]")
        } else {
            output.line(Self.describe(event, format: .pretty, style: output.style))
        }
    }

    /// Keeps an event as `$event`: its fields, the documented names of aliased fields, its
    /// `event_name` and `seq` (the listener's sequence number).
    public func exportEventVariables(_ event: ReceivedEvent) {
        var members: [(String, JSONValue)] = []
        if case .object(let pairs) = event.payload { members = pairs }
        func has(_ key: String) -> Bool { members.contains { $0.0 == key } }
        for name in FieldAliases.groups.joined() where !has(name) {
            if let v = FieldAliases.value(name, in: event.payload) { members.append((name, v)) }
        }
        if !has("event_name") { members.append(("event_name", .string(event.name))) }
        if let reply = event.reply { members = members.filter { $0.0 != "reply" } + [("reply", reply)] }
        members = members.filter { $0.0 != "seq" } + [("seq", .number(Double(event.number)))]
        eventValue = .object(members)
    }
}

extension Session {
    /// The listener, or a usage error telling how to start one.
    public func requireListener() throws -> WebhookListener {
        guard let listener else { throw SimshError.usage("not listening (start the listener with 'listen events')") }
        return listener
    }
}
