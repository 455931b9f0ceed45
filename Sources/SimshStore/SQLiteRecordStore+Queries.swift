import Foundation
import SQLiteNIO
import SimshRecords

/// Writing, reading and dropping records of the SQLite store.
extension SQLiteRecordStore {
    static let columns = RecordSchema.columns

    /// One INSERT per 400 records (each a statement of its own, so a failure part-way stores a
    /// prefix: the numbers given are those of the records stored, in order).
    public func write(_ records: [StoredRecord]) async throws(StoreError) -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(records.count)
        for chunk in RecordSchema.chunks(records) {
            var sql = "INSERT INTO records (kind, time_ms, name, call_id, unique_id, source, extra_keys, body) VALUES "
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * 8)
            for (i, r) in chunk.enumerated() {
                sql += i == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)"
                binds.append(.text(r.kind.rawValue))
                binds.append(.integer(SQLiteInt64(r.timeMilliseconds)))
                binds.append(.text(r.name))
                binds.append(r.callID.map { .text($0) } ?? .null)
                binds.append(r.uniqueID.map { .text($0) } ?? .null)
                binds.append(.text(r.source))
                binds.append(r.extraKeys.isEmpty ? .null : .text(Self.jsonArray(r.extraKeys)))
                binds.append(.text(r.body))
            }
            sql += " RETURNING id"
            // Rows of one INSERT get increasing numbers in the order of VALUES.
            let got = try await rows(sql, binds).compactMap { $0.columns.first?.data.integer }.map { Int64($0) }
                .sorted()
            guard got.count == chunk.count else {
                throw StoreError("the event store \(path): \(got.count) of \(chunk.count) records stored")
            }
            ids += got
        }
        return ids
    }

    public func search(_ query: RecordQuery) async throws(StoreError) -> [StoredRecord] {
        var clauses: [String] = []
        var binds: [SQLiteData] = []
        if !query.names.isEmpty {
            clauses.append("name IN (" + Array(repeating: "?", count: query.names.count).joined(separator: ",") + ")")
            binds += query.names.map { .text($0) }
        }
        if !query.kinds.isEmpty {
            clauses.append("kind IN (" + Array(repeating: "?", count: query.kinds.count).joined(separator: ",") + ")")
            binds += query.kinds.map { .text($0.rawValue) }
        }
        if let since = query.since {
            clauses.append("time_ms >= ?")
            binds.append(.integer(SQLiteInt64(StoredRecord.milliseconds(since))))
        }
        if let until = query.until {
            clauses.append("time_ms <= ?")
            binds.append(.integer(SQLiteInt64(StoredRecord.milliseconds(until))))
        }
        if let after = query.afterID {
            clauses.append("id > ?")
            binds.append(.integer(SQLiteInt64(after)))
        }
        if let before = query.beforeID {
            clauses.append("id < ?")
            binds.append(.integer(SQLiteInt64(before)))
        }
        if !query.keys.isEmpty {
            let marks = Array(repeating: "?", count: query.keys.count).joined(separator: ",")
            // A union of three index lookups (OR would scan every record).
            clauses.append(
                "id IN (SELECT id FROM records WHERE call_id IN (\(marks)) UNION SELECT id FROM records "
                    + "WHERE unique_id IN (\(marks)) UNION SELECT record FROM record_keys WHERE key IN (\(marks)))")
            for _ in 0..<3 { binds += query.keys.map { .text($0) } }
        }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let newestFirst = query.last != nil
        let limit = min(query.last ?? query.limit, query.limit)
        let sql =
            "SELECT \(Self.columns) FROM records\(filter) ORDER BY id \(newestFirst ? "DESC" : "ASC") LIMIT \(max(0, limit))"
        let found = try await rows(sql, binds).map(Self.record)
        return newestFirst ? found.reversed() : found
    }

    public func records(withKeys keys: [String], limit: Int) async throws(StoreError) -> [StoredRecord] {
        guard !keys.isEmpty else { return [] }
        return try await search(RecordQuery(keys: keys, limit: limit))
    }

    public func record(id: Int64) async throws(StoreError) -> StoredRecord? {
        try await rows("SELECT \(Self.columns) FROM records WHERE id = ?", [.integer(SQLiteInt64(id))]).first.map(
            Self.record)
    }

    public func purge(before: Date?) async throws(StoreError) -> Int {
        var total = 0
        let bound = before.map { StoredRecord.milliseconds($0) } ?? Int64.max
        // In chunks, so that a listener writing meanwhile waits for a short lock each time.
        while true {
            let gone = try await rows(
                "DELETE FROM records WHERE id IN (SELECT id FROM records WHERE time_ms < ? ORDER BY id LIMIT 5000) RETURNING id",
                [.integer(SQLiteInt64(bound))]
            ).count
            total += gone
            if gone < 5000 { break }
        }
        try await dropOrphanKeys()
        return total
    }

    /// Keys of records no longer kept (records go oldest first, so below the oldest number).
    func dropOrphanKeys() async throws(StoreError) {
        try await run(
            "DELETE FROM record_keys WHERE record < (SELECT coalesce(min(id), 9223372036854775807) FROM records)")
    }

    public func summary() async throws(StoreError) -> StoreSummary {
        let row = try await rows("SELECT count(*), min(time_ms), max(time_ms), coalesce(max(id), 0) FROM records").first
        let values = row?.columns.map(\.data) ?? []
        func int(_ i: Int) -> Int64? { i < values.count ? values[i].integer.map { Int64($0) } : nil }
        return StoreSummary(
            location: path, records: int(0) ?? 0, bytes: try await bytes(), oldest: int(1).map(StoredRecord.date),
            newest: int(2).map(StoredRecord.date), newestID: int(3) ?? 0)
    }

    /// The file's size with its write-ahead log, less its free pages.
    func bytes() async throws(StoreError) -> Int64 {
        func pragma(_ name: String) async throws(StoreError) -> Int64 {
            Int64(try await rows("PRAGMA \(name)").first?.columns.first?.data.integer ?? 0)
        }
        let pages = try await pragma("page_count") - (try await pragma("freelist_count"))
        return pages * (try await pragma("page_size"))
    }

    public func prune(_ retention: StoreRetention) async throws(StoreError) {
        let cutoff = Date().addingTimeInterval(-retention.keepDays * 86_400)
        _ = try await purge(before: cutoff)
        // Over the size bound: the oldest tenth at a time, until under it.
        var rounds = 0
        while try await bytes() > retention.maxBytes, rounds < 20 {
            rounds += 1
            let count = try await summary().records
            guard count > 1 else { break }
            try await run(
                "DELETE FROM records WHERE id IN (SELECT id FROM records ORDER BY id LIMIT ?)",
                [.integer(SQLiteInt64(max(1, count / 10)))])
            try await dropOrphanKeys()
            try await run("PRAGMA incremental_vacuum")
        }
    }

    public func follow(_ query: RecordQuery) -> AsyncThrowingStream<StoredRecord, any Error> {
        polling(query)
    }

    static func record(_ row: SQLiteRow) -> StoredRecord {
        let c = row.columns.map(\.data)
        let extra = c[6].string.flatMap { text -> [String]? in
            guard let data = text.data(using: .utf8) else { return nil }
            return (try? JSONSerialization.jsonObject(with: data)) as? [String]
        }
        return StoredRecord(
            id: Int64(c[0].integer ?? 0), kind: StoredRecord.Kind(rawValue: c[1].string ?? "") ?? .event,
            time: StoredRecord.date(milliseconds: Int64(c[2].integer ?? 0)), name: c[3].string ?? "",
            callID: c[4].string, uniqueID: c[5].string, extraKeys: extra ?? [], source: c[7].string ?? "",
            body: c[8].string ?? "{}")
    }

    /// `["a","b"]`, each string escaped as JSON.
    static func jsonArray(_ items: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: items)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
