import ArgumentParser
import Foundation
import SimotelWebhooks
import SimshLanguage
import SimshRecords
import SimshRuntime

/// Which stored records a command is about (`events search`, `events follow`, `events
/// export`): the same options as `events`, with times and a call.
struct RecordFilter: ParsableArguments {
    @Option(
        help: ArgumentHelp("Only records of this name (repeat for several)", valueName: "name"),
        completion: .list(EventCatalog.all.map(\.name)))
    var name: [String] = []

    @Option(
        name: .customLong("where"), help: ArgumentHelp("Only records whose FIELD has VALUE", valueName: "field=value"))
    var conditions: [FieldCondition] = []

    @Option(
        help: ArgumentHelp(
            "From this long ago (1h, 30m) or this time (YYYY-MM-DD HH:MM[:SS], local; or ISO 8601)",
            valueName: "duration|time"))
    var since: String?

    @Option(help: ArgumentHelp("Up to this time (YYYY-MM-DD HH:MM[:SS], local; or ISO 8601)", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Only the records of this call (any of its ids)", valueName: "id"))
    var call: String?

    @Option(help: ArgumentHelp("Times given and shown in this calendar: gregorian or jalali", valueName: "calendar"))
    var calendar: RecordCalendar = .gregorian

    /// The store's query, without `--where` (checked on each record) and `--call` (its ids found first).
    func query(now: Date = Date()) throws -> RecordQuery {
        var q = RecordQuery()
        q.names = name.map { EventCatalog.kind(named: $0)?.name ?? $0 }
        if let since { q.since = try Self.time(since, calendar: calendar, now: now, option: "--since") }
        if let until { q.until = try Self.time(until, calendar: calendar, now: now, option: "--until") }
        return q
    }

    /// The store's query with `--call`'s identifiers found (every id of the call), without
    /// `--where` (checked on each record).
    func query(in store: any RecordStore) async throws -> RecordQuery {
        var q = try query()
        if let id = call {
            q.keys = try await Session.storeCall { () async throws(StoreError) in
                try await CallTrace.collect(id, in: store).keys
            }
        }
        return q
    }

    /// Whether a record passes `--where`: an event's or component request's fields, a
    /// request's body.
    func matches(_ record: StoredRecord) -> Bool {
        guard !conditions.isEmpty else { return true }
        if record.kind == .request {
            let request = record.json["request"] ?? .object([])
            return conditions.allSatisfy { c in request[c.field].map { $0.displayText == c.value } ?? false }
        }
        guard let e = try? ReceivedEvent.fromStored(record) else { return false }
        return conditions.allSatisfy { e.matches($0.field, $0.value) }
    }

    /// `1h` ago, or a point in time: `YYYY-MM-DD HH:MM[:SS]` in local time (Jalali with
    /// `--calendar jalali`), or ISO 8601 (`2026-12-07T10:00:00Z`).
    static func time(_ text: String, calendar: RecordCalendar, now: Date, option: String) throws -> Date {
        if let seconds = DurationParser.seconds(text) { return now.addingTimeInterval(-seconds) }
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: text) { return d }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return d }
        var cal = Calendar(identifier: calendar == .jalali ? .persian : .gregorian)
        cal.timeZone = .current
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" || $0 == "-" || $0 == ":" || $0 == "/" })
            .map { Int($0) }
        if parts.count >= 3, parts.count <= 6, parts.allSatisfy({ $0 != nil }) {
            let v = parts.map { $0! }
            var c = DateComponents()
            (c.year, c.month, c.day) = (v[0], v[1], v[2])
            c.hour = v.count > 3 ? v[3] : 0
            c.minute = v.count > 4 ? v[4] : 0
            c.second = v.count > 5 ? v[5] : 0
            if (1...12).contains(v[1]), (1...31).contains(v[2]), (0...23).contains(c.hour!),
                (0...59).contains(c.minute!), (0...59).contains(c.second!), let d = cal.date(from: c),
                cal.dateComponents([.year, .month, .day], from: d) == DateComponents(year: v[0], month: v[1], day: v[2])
            {
                return d  // a day the month has (Calendar would make 2026-02-30 March 2nd)
            }
        }
        throw SimshError.usage(
            "\(option) '\(text)' is neither a duration (1h, 30m) nor a time (YYYY-MM-DD HH:MM[:SS], or ISO 8601)")
    }
}

enum RecordCalendar: String, ExpressibleByArgument, CaseIterable {
    case gregorian, jalali
}

extension RecordCalendar {
    /// `2026-12-07 19:16:23` (or `1405-09-16 19:16:23`), local time.
    func text(_ date: Date) -> String {
        var cal = Calendar(identifier: self == .jalali ? .persian : .gregorian)
        cal.timeZone = .current
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }
}

extension Session {
    /// The records a filter asks for, the last `last` of them (oldest first): paging back
    /// through the store while `--where` leaves too few.
    func searchRecords(_ filter: RecordFilter, last: Int?, limit: Int = 100_000) async throws -> [StoredRecord] {
        let store = try await requireStore()
        var query = try await filter.query(in: store)
        let want = min(last ?? limit, limit)
        var found: [StoredRecord] = []
        query.last = 500
        while found.count < want {
            let page = try await Self.storeCall { () async throws(StoreError) in try await store.search(query) }
            found = page.filter(filter.matches) + found
            guard page.count == 500, let oldest = page.first else { break }
            query.beforeID = oldest.id
        }
        return Array(found.suffix(want))
    }

    /// A store call whose failure is an I/O error in words (exit 3).
    static func storeCall<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
        do { return try await body() } catch { throw SimshError.io(error.description) }
    }
}
