import SimshRecords

/// What both backends' schemas share: the columns read back, the indexes, and how many
/// records one INSERT stores.
enum RecordSchema {
    static let columns = "id, kind, time_ms, name, call_id, unique_id, extra_keys, source, body"
    static let indexes = [
        "CREATE INDEX records_time ON records (time_ms)",
        "CREATE INDEX records_name ON records (name, id)",
        "CREATE INDEX records_call ON records (call_id) WHERE call_id IS NOT NULL",
        "CREATE INDEX records_unique ON records (unique_id) WHERE unique_id IS NOT NULL",
    ]
    static let recordsPerInsert = 400

    /// The records in chunks of `recordsPerInsert`, in order.
    static func chunks(_ records: [StoredRecord]) -> [ArraySlice<StoredRecord>] {
        stride(from: 0, to: records.count, by: recordsPerInsert).map {
            records[$0..<min(records.count, $0 + recordsPerInsert)]
        }
    }
}
