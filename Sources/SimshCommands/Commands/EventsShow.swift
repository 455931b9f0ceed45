import ArgumentParser
import SimotelWebhooks
import SimshLanguage
import SimshRecords
import SimshRuntime

struct EventsShow: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one event as pretty JSON")

    @Argument(help: ArgumentHelp("The event's number (#N)", valueName: "n"))
    var number: Int

    func run(in session: Session) async throws {
        switch try await session.numberedRecord(number) {
        case .event(let e):
            if session.outputMode == .json {
                session.output.json(e.typedJSON)
            } else {
                session.output.line(e.json.serialized(pretty: true))
            }
        case .request(let r):
            if session.outputMode == .json {
                session.output.json(Session.typedJSON(r))
            } else {
                session.output.line(Session.typedJSON(r).serialized(pretty: true))
            }
        }
    }
}

/// What `#N` names: an event (or component request) of this session or of the store, or an API
/// request of the store.
enum NumberedRecord {
    case event(ReceivedEvent)
    case request(StoredRecord)
}

extension Session {
    /// Record `#n`: kept by this session's listener, else read from the event store (the
    /// numbers are the store's when a store keeps the events); an error in words when neither
    /// has it.
    func numberedRecord(_ n: Int) async throws -> NumberedRecord {
        if let listener, let e = listener.store.all.last(where: { $0.number == n }) { return .event(e) }
        await flushWrites()
        if n >= 1, let store = try await recordStore(),
            let r = try await Session.storeCall({ () async throws(StoreError) in try await store.record(id: Int64(n)) })
        {
            if r.kind == .request { return .request(r) }
            if let e = try? ReceivedEvent.fromStored(r) { return .event(e) }
        }
        if let listener, listener.configuration.recordStore == nil { return .event(try listener.store.kept(n)) }
        throw SimshError.usage(
            n < 1 ? "no record #\(n): records are numbered from 1" : "no record #\(n) in the event store")
    }
}

extension EventStore {
    /// Kept event number `n` (`events show N`, `events use N`), or a usage error saying in words
    /// why there is none: not arrived yet, or no longer kept.
    func kept(_ n: Int) throws -> ReceivedEvent {
        if let e = event(number: n) { return e }
        guard n >= 1 else { throw SimshError.usage("no event #\(n): events are numbered from 1") }
        let upcoming = upcomingSequence
        guard n < upcoming else {
            throw SimshError.usage(
                upcoming == 1
                    ? "no event #\(n): none has arrived yet" : "no event #\(n) yet: the last is #\(upcoming - 1)")
        }
        // Kept events are consecutive and end with the newest (clear and the limits drop the oldest).
        let count = usage.events
        guard count > 0 else {
            throw SimshError.usage("event #\(n) is no longer kept, nor any other (events clear, or the limits)")
        }
        throw SimshError.usage(
            "event #\(n) is no longer kept; the oldest kept is #\(upcoming - count) (events lists them)")
    }
}

extension EventsShow: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "One event whole, as received:",
            "simsh demo> events show 1")
    ]
}
