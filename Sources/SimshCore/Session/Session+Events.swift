import Foundation
import SimotelKit
import SimotelWebhooks

/// How recorded events are shown as they arrive.
public enum EventFormat: String, Sendable, CaseIterable {
    case pretty, json
}

extension Session {
    /// Starts the session's one listener (used by `listen events` and `--demo`).
    public func startListener(_ configuration: ListenerConfiguration, display: EventFormat?) async throws
        -> WebhookListener
    {
        let listener = WebhookListener(configuration: configuration, logger: logger)
        let output = self.output
        if let display {
            listener.onEvent = { event in output.announce(Self.describe(event, format: display)) }
        }
        listener.onForward = { line in output.announce(line) }
        listener.onWarning = { line in output.announceWarning(line) }
        do {
            try await listener.start()
        } catch {
            throw SimshError.io("\(error)")
        }
        self.listener = listener
        embeddedSimulator?.eventsURL = listener.url
        return listener
    }

    public func stopListener() async {
        let l = listener
        listener = nil
        await l?.stop()
    }

    /// `12:00:01.123 <-- Ping [#3] exten=991 state=InUse`, or the event as one JSON line.
    public static func describe(_ event: ReceivedEvent, format: EventFormat) -> String {
        switch format {
        case .json: return event.json.serialized()
        case .pretty:
            let fields = event.keyFieldText
            return "\(clockTime(event.receivedAt)) <-- \(event.name) [#\(event.sequence)]"
                + (fields.isEmpty ? "" : "  \(fields)")
        }
    }

    static func clockTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss.SSS"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: date)
    }

    /// Remembers where each command starts in the event stream, so that `wait event` sees
    /// events that arrived during the previous command (`ping` then `wait event Ping`).
    func markCommandStart() {
        previousCommandMark = currentCommandMark
        currentCommandMark = listener?.store.upcomingSequence ?? 1
    }

    /// Sets `$event.FIELD` for every field of an event (nested values as JSON text).
    public func exportEventVariables(_ event: ReceivedEvent) {
        for key in variables.keys where key.hasPrefix("event.") { variables[key] = nil }
        if case .object(let pairs) = event.payload {
            for (k, v) in pairs { variables["event." + k] = v.displayText }
        }
        for (name, aliases) in EventCatalog.aliases where variables["event." + name] == nil {
            if let v = aliases.lazy.compactMap({ event.payload[$0] }).first {
                variables["event." + name] = v.displayText
            }
        }
        if variables["event.event_name"] == nil { variables["event.event_name"] = event.name }
        variables["event.seq"] = String(event.sequence)
    }
}
