import Foundation
import PostgresNIO
import SimshRecords

/// Writing, reading and dropping records of the PostgreSQL store.
extension PostgresRecordStore {
    static let columns = RecordSchema.columns

    /// One statement per 400 records: the INSERT, its `record_keys` rows and the numbers given
    /// (a data-modifying WITH), so a chunk is stored whole or not at all; a failure part-way
    /// stores a prefix of chunks, as in SQLite.
    public func write(_ records: [StoredRecord]) async throws(StoreError) -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(records.count)
        for chunk in RecordSchema.chunks(records) {
            let query = Self.insert(chunk)
            // Rows of one INSERT get increasing numbers in the order of VALUES.
            let got = try await bounded { [client, logger] in
                var numbers: [Int64] = []
                for try await id in try await client.query(query, logger: logger).decode(Int64.self) {
                    numbers.append(id)
                }
                return numbers
            }
            guard got.count == chunk.count else {
                throw StoreError("the event store \(location): \(got.count) of \(chunk.count) records stored")
            }
            ids += got
        }
        return ids
    }

    static func insert(_ chunk: ArraySlice<StoredRecord>) -> PostgresQuery {
        var binds = PostgresBindings(capacity: chunk.count * 8)
        var values: [String] = []
        values.reserveCapacity(chunk.count)
        for r in chunk {
            let n = binds.count
            values.append("(" + (1...8).map { "$\(n + $0)" }.joined(separator: ",") + ")")
            let extra: String? = r.extraKeys.isEmpty ? nil : SQLiteRecordStore.jsonArray(r.extraKeys)
            binds.append(r.kind.rawValue)
            binds.append(r.timeMilliseconds)
            binds.append(r.name)
            binds.append(r.callID)
            binds.append(r.uniqueID)
            binds.append(r.source)
            binds.append(extra)
            binds.append(r.body)
        }
        let sql = """
            WITH ins AS (
                INSERT INTO records (kind, time_ms, name, call_id, unique_id, source, extra_keys, body)
                VALUES \(values.joined(separator: ","))
                RETURNING id, extra_keys
            ), stored_keys AS (
                INSERT INTO record_keys (key, record)
                SELECT DISTINCT k.key, ins.id
                FROM ins CROSS JOIN LATERAL jsonb_array_elements_text(ins.extra_keys::jsonb) AS k(key)
                WHERE ins.extra_keys IS NOT NULL
                ON CONFLICT DO NOTHING
            )
            SELECT id FROM ins ORDER BY id
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    public func search(_ query: RecordQuery) async throws(StoreError) -> [StoredRecord] {
        var filter = SQLFilter()
        let conditions = Self.conditions(query, prefix: "", into: &filter)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let newestFirst = query.last != nil
        let limit = max(0, min(query.last ?? query.limit, query.limit))
        let sql =
            "SELECT \(Self.columns) FROM records\(clause) ORDER BY id \(newestFirst ? "DESC" : "ASC") LIMIT \(limit)"
        let found = try await rows(PostgresQuery(unsafeSQL: sql, binds: filter.binds))
        return newestFirst ? found.reversed() : found
    }

    public func records(withKeys keys: [String], limit: Int) async throws(StoreError) -> [StoredRecord] {
        guard !keys.isEmpty else { return [] }
        return try await search(RecordQuery(keys: keys, limit: limit))
    }

    public func record(id: Int64) async throws(StoreError) -> StoredRecord? {
        try await rows("SELECT \(unescaped: Self.columns) FROM records WHERE id = \(id)").first
    }

    /// Records of a statement that selects `columns`, in its order.
    func rows(_ query: PostgresQuery) async throws(StoreError) -> [StoredRecord] {
        try await bounded { [client, logger] in
            var found: [StoredRecord] = []
            for try await row in try await client.query(query, logger: logger) {
                found.append(try PostgresRecordStore.record(row))
            }
            return found
        }
    }

    /// The one value a statement gives (0 when it gives none).
    func number(_ query: PostgresQuery) async throws(StoreError) -> Int64 {
        try await bounded { [client, logger] in
            var value: Int64 = 0
            for try await v in try await client.query(query, logger: logger).decode(Int64?.self) { value = v ?? 0 }
            return value
        }
    }

    public func purge(before: Date?) async throws(StoreError) -> Int {
        var total = 0
        let bound = before.map { StoredRecord.milliseconds($0) } ?? Int64.max
        // In chunks, so that no statement holds many rows' locks for long.
        while true {
            let gone = try await number(
                """
                WITH gone AS (DELETE FROM records WHERE id IN (
                    SELECT id FROM records WHERE time_ms < \(bound) ORDER BY time_ms LIMIT 5000) RETURNING 1)
                SELECT count(*) FROM gone
                """)
            total += Int(gone)
            if gone < 5000 { break }
        }
        try await dropOrphanKeys()
        return total
    }

    /// Keys of records no longer kept.
    func dropOrphanKeys() async throws(StoreError) {
        _ = try await number(
            """
            WITH gone AS (DELETE FROM record_keys k WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = k.record)
                RETURNING 1)
            SELECT count(*) FROM gone
            """)
    }

    /// The store's bytes are its tables' with their indexes (PostgreSQL keeps a table's files at
    /// their largest and reuses the room of deleted rows).
    public func summary() async throws(StoreError) -> StoreSummary {
        let sql: PostgresQuery = """
            SELECT count(*), min(time_ms), max(time_ms), coalesce(max(id), 0),
                pg_total_relation_size('records') + pg_total_relation_size('record_keys')
            FROM records
            """
        let (count, oldest, newest, newestID, bytes) = try await bounded { [client, logger] in
            var values: (Int64, Int64?, Int64?, Int64, Int64) = (0, nil, nil, 0, 0)
            for try await row in try await client.query(sql, logger: logger) {
                values = try row.decode((Int64, Int64?, Int64?, Int64, Int64).self)
            }
            return values
        }
        return StoreSummary(
            location: location, records: count, bytes: bytes, oldest: oldest.map(StoredRecord.date),
            newest: newest.map(StoredRecord.date), newestID: newestID)
    }

    /// Past the age bound, the oldest records go. Past the size bound, as many of the oldest go
    /// as the records' size says: their number times the average size of the newest thousand
    /// (with their index entries), not the files' size, which deleting does not shrink.
    public func prune(_ retention: StoreRetention) async throws(StoreError) {
        let cutoff = Date().addingTimeInterval(-retention.keepDays * 86_400)
        _ = try await purge(before: cutoff)
        let count = try await number("SELECT count(*) FROM records")
        let average = try await number(
            "SELECT avg(pg_column_size(r.*))::bigint FROM (SELECT * FROM records ORDER BY id DESC LIMIT 1000) r")
        let keep = retention.maxBytes / max(1, average + Self.indexBytesPerRecord)
        var excess = count - keep
        guard excess > 0 else { return }
        while excess > 0 {
            let chunk = min(excess, 5000)
            let gone = try await number(
                """
                WITH gone AS (DELETE FROM records WHERE id IN (SELECT id FROM records ORDER BY id LIMIT \(chunk))
                    RETURNING 1)
                SELECT count(*) FROM gone
                """)
            if gone == 0 { break }
            excess -= gone
        }
        try await dropOrphanKeys()
    }

    /// What a record adds to the heap's row header and the five indexes, roughly.
    static let indexBytesPerRecord: Int64 = 160

    static func record(_ row: PostgresRow) throws -> StoredRecord {
        let (id, kind, time, name, callID, uniqueID, extra, source, body) = try row.decode(
            (Int64, String, Int64, String, String?, String?, String?, String, String).self)
        return StoredRecord(
            id: id, kind: StoredRecord.Kind(rawValue: kind) ?? .event, time: StoredRecord.date(milliseconds: time),
            name: name, callID: callID, uniqueID: uniqueID, extraKeys: extra.map(Self.keys) ?? [], source: source,
            body: body)
    }

    /// `["a","b"]` back to its strings.
    static func keys(_ json: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String] ?? []
    }

    /// The conditions of a query, each column named with `prefix` (`r.`), binding its values.
    static func conditions(_ query: RecordQuery, prefix p: String, into filter: inout SQLFilter) -> [String] {
        var c: [String] = []
        if !query.names.isEmpty {
            let names = filter.bind(query.names)
            c.append("\(p)name = ANY(\(names))")
        }
        if !query.kinds.isEmpty {
            let kinds = filter.bind(query.kinds.map(\.rawValue))
            c.append("\(p)kind = ANY(\(kinds))")
        }
        if let since = query.since {
            let ms = filter.bind(StoredRecord.milliseconds(since))
            c.append("\(p)time_ms >= \(ms)")
        }
        if let until = query.until {
            let ms = filter.bind(StoredRecord.milliseconds(until))
            c.append("\(p)time_ms <= \(ms)")
        }
        if let after = query.afterID {
            let id = filter.bind(after)
            c.append("\(p)id > \(id)")
        }
        if let before = query.beforeID {
            let id = filter.bind(before)
            c.append("\(p)id < \(id)")
        }
        if !query.keys.isEmpty {
            // A UNION, not ORs: each part is found by its index (an OR would read every record).
            let keys = filter.bind(query.keys)
            c.append(
                "\(p)id IN (SELECT id FROM records WHERE call_id = ANY(\(keys)) "
                    + "UNION ALL SELECT id FROM records WHERE unique_id = ANY(\(keys)) "
                    + "UNION ALL SELECT record FROM record_keys WHERE key = ANY(\(keys)))")
        }
        return c
    }
}

/// Values bound to a statement built piece by piece: each `bind` gives its `$N`.
struct SQLFilter {
    var binds = PostgresBindings()

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }
}
