import Foundation
import SimotelKit

/// One record of the event store: an event webhook as the listener accepted it, a component
/// request with the reply it got, or an API request of a session with its answer. The body is
/// one JSON object (the event log's line for an event; secrets masked as everywhere); the call
/// identifiers are taken out of it when it is made, so that a call's records are found by index.
public struct StoredRecord: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case event, component, request
    }

    /// The store's number (`#N`), stable across sessions; 0 before it is stored.
    public var id: Int64
    public var kind: Kind
    /// When it arrived (events, component requests) or was answered (API requests).
    public var time: Date
    /// The event's name (`Cdr`), `Component`, or the request's `METHOD path`.
    public var name: String
    /// `originated_call_id` (`orig.call.…`), when it has one.
    public var callID: String?
    /// The call's `unique_id` (`cuid` in the docs' tables), when it has one.
    public var uniqueID: String?
    /// Other identifiers it carries (a CDR search's rows: each `cuid`, `uniqueid`,
    /// `originated_call_id`), so that `calls trace` finds it by any of them.
    public var extraKeys: [String]
    /// Who stored it: the listener's address or `session PID`.
    public var source: String
    /// The record: one JSON object, as text.
    public var body: String

    public init(
        id: Int64 = 0, kind: Kind, time: Date, name: String, callID: String? = nil, uniqueID: String? = nil,
        extraKeys: [String] = [], source: String, body: String
    ) {
        self.id = id
        self.kind = kind
        self.time = time
        self.name = name
        self.callID = callID.flatMap { $0.isEmpty ? nil : $0 }
        self.uniqueID = uniqueID.flatMap { $0.isEmpty ? nil : $0 }
        self.extraKeys = extraKeys.filter { !$0.isEmpty }
        self.source = source
        self.body = body
    }

    /// A call's order: by time (an API request's is when it was sent, before the events it
    /// caused were stored), then by number.
    public static func inOrder(_ a: StoredRecord, _ b: StoredRecord) -> Bool {
        a.time != b.time ? a.time < b.time : a.id < b.id
    }

    /// The body, parsed (an unreadable body, which the store never writes, is an empty object).
    public var json: JSONValue {
        (try? JSONValue.parse(body)) ?? .object([])
    }

    /// Every identifier of a call it carries.
    public var keys: [String] {
        var all: [String] = []
        if let callID { all.append(callID) }
        if let uniqueID { all.append(uniqueID) }
        for k in extraKeys where !all.contains(k) { all.append(k) }
        return all
    }

    /// Milliseconds since 1970, as the store keeps times.
    public var timeMilliseconds: Int64 { Self.milliseconds(time) }

    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

/// Which records a reader wants: any of the names, within the times, with any of the call's
/// identifiers; the newest `last` of them (given oldest first), or those after a number
/// (`events follow`, `events export`).
public struct RecordQuery: Sendable {
    public var names: [String] = []
    public var kinds: [StoredRecord.Kind] = []
    public var since: Date?
    public var until: Date?
    /// Records carrying any of these identifiers (`--call ID`).
    public var keys: [String] = []
    /// Only records numbered after this (`events follow`, paging).
    public var afterID: Int64?
    /// Only records numbered before this (paging backwards).
    public var beforeID: Int64?
    /// The newest N (nil: from the oldest, up to `limit`).
    public var last: Int?
    /// The most rows one query returns.
    public var limit: Int = 1000

    public init(
        names: [String] = [], kinds: [StoredRecord.Kind] = [], since: Date? = nil, until: Date? = nil,
        keys: [String] = [], afterID: Int64? = nil, beforeID: Int64? = nil, last: Int? = nil, limit: Int = 1000
    ) {
        self.names = names
        self.kinds = kinds
        self.since = since
        self.until = until
        self.keys = keys
        self.afterID = afterID
        self.beforeID = beforeID
        self.last = last
        self.limit = limit
    }
}

/// What `listen status` and `events purge` say of a store.
public struct StoreSummary: Sendable {
    /// The file or the database (`postgresql://user@host:port/db`, no password).
    public var location: String
    public var records: Int64
    public var bytes: Int64
    public var oldest: Date?
    public var newest: Date?
    public var newestID: Int64

    public init(location: String, records: Int64, bytes: Int64, oldest: Date?, newest: Date?, newestID: Int64) {
        self.location = location
        self.records = records
        self.bytes = bytes
        self.oldest = oldest
        self.newest = newest
        self.newestID = newestID
    }
}

/// How long records are kept: by age, and by size (oldest dropped first).
public struct StoreRetention: Sendable, Equatable {
    public var keepDays: Double
    public var maxBytes: Int64

    public init(keepDays: Double = 30, maxBytes: Int64 = 1 << 30) {
        self.keepDays = keepDays
        self.maxBytes = maxBytes
    }
}

/// Why the store could not be opened, read or written, in words.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
