import Foundation
import SimotelKit

/// Everything stored for one call, in order of arrival (`calls trace ID`): the API request that
/// started it, each webhook, each component request and reply, the Cdr and the dialplan steps
/// (`route[]`) a CDR row lists.
public struct CallTrace: Sendable {
    public struct Entry: Sendable {
        public enum Kind: String, Sendable {
            case request, event, component, route
        }

        /// The store's number (none for a route step, which is part of a record).
        public var id: Int64?
        public var kind: Kind
        public var time: Date
        public var offsetMilliseconds: Double
        public var name: String
        /// The record's own time where the record gives one (a route step's date).
        public var ownTime: Date?
        /// The fields: an event's payload, a request's body and answer, a step.
        public var fields: JSONValue
        public var reply: JSONValue?
        /// Who stored it (`listener 127.0.0.1:8089 pid 12`, `session pid 7`).
        public var source: String
    }

    /// The identifiers the call was found by, every one of them.
    public var keys: [String]
    public var entries: [Entry]

    /// The records of the call `id` names (any of its identifiers), following the links
    /// between them: an originated call's id finds OutgoingCall, whose unique id finds the
    /// NewState events. At most `limit` records.
    public static func collect(_ id: String, in store: any RecordStore, limit: Int = 5000) async throws(StoreError)
        -> (keys: [String], records: [StoredRecord])
    {
        var keys = [id]
        var found: [Int64: StoredRecord] = [:]
        for _ in 0..<4 {
            let records = try await store.records(withKeys: keys, limit: limit)
            var grew = false
            for r in records {
                found[r.id] = r
                // A CDR search names many calls: its own identifiers lead nowhere further.
                let more = r.kind == .request ? [r.callID].compactMap { $0 } : [r.callID, r.uniqueID].compactMap { $0 }
                for k in more where !keys.contains(k) {
                    keys.append(k)
                    grew = true
                }
            }
            if !grew { break }
        }
        return (keys, found.values.sorted(by: StoredRecord.inOrder))
    }

    /// The timeline of the records, route steps after the record that lists them.
    public init(keys: [String], records: [StoredRecord]) {
        self.keys = keys
        var entries: [Entry] = []
        let first = records.first?.time ?? Date()
        func offset(_ t: Date) -> Double { (t.timeIntervalSince(first) * 1000).rounded() }
        for r in records {
            let body = r.json
            switch r.kind {
            case .request:
                var fields: [(String, JSONValue)] = []
                if let q = body["request"] { fields.append(("request", q)) }
                if let s = body["status"] { fields.append(("status", s)) }
                if let a = body["answer"] { fields.append(("answer", Self.answerFor(keys, a))) }
                entries.append(
                    Entry(
                        id: r.id, kind: .request, time: r.time, offsetMilliseconds: offset(r.time), name: r.name,
                        fields: .object(fields), source: r.source))
            case .event, .component:
                let payload = body["payload"] ?? .object([])
                entries.append(
                    Entry(
                        id: r.id, kind: r.kind == .event ? .event : .component, time: r.time,
                        offsetMilliseconds: offset(r.time), name: r.name,
                        ownTime: Self.ownTime(payload, arrived: r.time),
                        fields: payload, reply: body["reply"], source: r.source))
            }
            for step in Self.routeSteps(body, keys: keys) {
                entries.append(
                    Entry(
                        kind: .route, time: r.time, offsetMilliseconds: offset(r.time), name: step.name,
                        ownTime: step.date, fields: step.fields, source: r.source))
            }
        }
        self.entries = entries
    }

    /// The time an event gives itself (`starttime`, `date`: local time, Gregorian, or Jalali as
    /// Simotel's stored times are), when it is more than a second from when it arrived.
    static func ownTime(_ payload: JSONValue, arrived: Date) -> Date? {
        for key in ["starttime", "start_time", "date"] {
            guard let text = payload[key]?.stringValue, let date = localTime(text) else { continue }
            return abs(date.timeIntervalSince(arrived)) > 1 ? date : nil
        }
        return nil
    }

    /// `2021-01-16 06:30:37.471398` or `1400-03-25 17:43:49` (a year before 1700 is Jalali).
    static func localTime(_ text: String) -> Date? {
        let pieces = text.split(whereSeparator: { " -:.T".contains($0) }).prefix(7).map(String.init)
        let parts = pieces.prefix(6).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        var calendar = Calendar(identifier: parts[0] < 1700 ? .persian : .gregorian)
        calendar.timeZone = .current
        var c = DateComponents(
            year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])
        if pieces.count > 6, let fraction = Double("0." + pieces[6]) { c.nanosecond = Int(fraction * 1e9) }
        return calendar.date(from: c)
    }

    /// A CDR search's answer cut to the rows of this call (the rest are other calls).
    static func answerFor(_ keys: [String], _ answer: JSONValue) -> JSONValue {
        guard let mine = rowsFor(keys, answer) else { return answer }
        return .object([("data", .array(mine))])
    }

    /// The rows of an answer (`data` or `data.data`) that belong to this call; nil when none does.
    static func rowsFor(_ keys: [String], _ answer: JSONValue) -> [JSONValue]? {
        guard case .array(let rows)? = answer["data"]?["data"] ?? answer["data"] else { return nil }
        let mine = rows.filter { row in
            [CallIdentifiers.cuid, CallIdentifiers.cdrUnique, CallIdentifiers.originated].contains { k in
                row[k].map { keys.contains($0.displayText) } ?? false
            }
        }
        return mine.isEmpty ? nil : mine
    }

    /// The `route[]` steps of a Cdr event or of this call's CDR rows (api-v4.md §8.12):
    /// `{type, name, duration, date}`, the date as extended JSON (`$date.$numberLong`, ms).
    static func routeSteps(_ body: JSONValue, keys: [String]) -> [(name: String, date: Date?, fields: JSONValue)] {
        var routes: [JSONValue] = []
        if case .array(let r)? = body["payload"]?["route"] { routes += r }
        if let answer = body["answer"], let rows = rowsFor(keys, answer) {
            for row in rows { if case .array(let r)? = row["route"] { routes += r } }
        }
        return routes.map { step in
            let type = step["type"]?.displayText ?? "step"
            let name = step["name"]?.displayText ?? ""
            let ms = step["date"]?["$date"]?["$numberLong"].flatMap { Double($0.displayText) }
            let date = ms.map { Date(timeIntervalSince1970: $0 / 1000) }
            return (name.isEmpty || name == type ? type : "\(type) \(name)", date, step)
        }
    }
}
