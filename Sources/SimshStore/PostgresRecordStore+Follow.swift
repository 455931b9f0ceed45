import Foundation
import PostgresNIO
import SimshRecords

/// `events follow` on PostgreSQL: woken by the notification every INSERT sends (LISTEN on a
/// connection of the pool kept for it), once at the start, and every `pollInterval` besides
/// (a notification is lost while its connection is being made again).
///
/// Numbers are taken when a listener's INSERT starts and seen when it commits, so with several
/// listeners #101 may be seen before #100. A number skipped over is kept as a gap and looked for
/// again until `gapPatience` has passed (a failed INSERT never fills its numbers): no record
/// is missed for having committed after a higher-numbered one, none is given twice.
extension PostgresRecordStore {
    /// How long a skipped number is looked for.
    static let gapPatience: Duration = .seconds(30)
    /// More skipped numbers at once than this is a jump of the sequence, not writers in flight.
    static let maxGap: Int64 = 10_000

    struct FollowCursor {
        /// The highest number seen.
        var last: Int64
        /// Numbers below `last` not seen yet, with when they were found missing.
        var gaps: [Int64: ContinuousClock.Instant] = [:]
    }

    /// A number and its record, when the record matches the query.
    struct Seen: Sendable {
        var id: Int64
        var record: StoredRecord?
    }

    public func follow(_ query: RecordQuery) -> AsyncThrowingStream<StoredRecord, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.followLoop(query) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Reads what is new each time it is woken, until the task is cancelled.
    func followLoop(_ query: RecordQuery, _ deliver: (StoredRecord) -> Void) async throws(StoreError) {
        let (wakes, waker) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let listener = Task { await self.listenForNotifications(waker) }
        let ticker = Task { [pollInterval] in
            while !Task.isCancelled {
                waker.yield()
                try? await Task.sleep(for: pollInterval)
            }
        }
        defer {
            listener.cancel()
            ticker.cancel()
            waker.finish()
        }
        var q = query
        q.last = nil
        q.limit = max(1, q.limit)
        var start = q.afterID ?? 0
        if q.afterID == nil { start = try await number("SELECT coalesce(max(id), 0) FROM records") }
        q.afterID = nil
        var cursor = FollowCursor(last: start)
        for await _ in wakes {
            if Task.isCancelled { break }
            var more = true
            while more, !Task.isCancelled {
                let seen = try await next(q, &cursor)
                for s in seen { if let r = s.record { deliver(r) } }
                more = seen.count >= q.limit
            }
        }
    }

    /// LISTEN on a connection of its own, waking the reader at the start and on each
    /// notification; made again (after `pollInterval`) when the connection is lost.
    func listenForNotifications(_ waker: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        // Records stored while LISTEN was being set up.
                        waker.yield()
                        for try await _ in notifications { waker.yield() }
                    }
                }
            } catch {
                // The connection was lost (or never made): looked for again after a while, and
                // the reader looks by itself meanwhile; its reads say what is wrong, if anything.
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// Every number after the cursor and every gap's, with the records among them that match the
    /// query (one statement); moves the cursor and keeps the gaps.
    func next(_ query: RecordQuery, _ cursor: inout FollowCursor) async throws(StoreError) -> [Seen] {
        var filter = SQLFilter()
        let after = filter.bind(cursor.last)
        let gaps = filter.bind(Array(cursor.gaps.keys))
        let conditions = Self.conditions(query, prefix: "r.", into: &filter)
        let match = conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND ")
        let sql = """
            SELECT i.id, r.kind, r.time_ms, r.name, r.call_id, r.unique_id, r.extra_keys, r.source, r.body
            FROM (SELECT id FROM records WHERE id > \(after) OR id = ANY(\(gaps)) ORDER BY id LIMIT \(query.limit)) AS i
            LEFT JOIN records r ON r.id = i.id\(match)
            ORDER BY i.id
            """
        let statement = PostgresQuery(unsafeSQL: sql, binds: filter.binds)
        let seen = try await bounded { [client, logger] in
            var found: [Seen] = []
            for try await row in try await client.query(statement, logger: logger) {
                // A number without a kind is one whose record does not match.
                let (id, kind) = try row.decode((Int64, String?).self)
                var record: StoredRecord?
                if kind != nil { record = try PostgresRecordStore.record(row) }
                found.append(Seen(id: id, record: record))
            }
            return found
        }
        Self.advance(&cursor, past: seen.map(\.id), now: .now)
        return seen
    }

    /// Moves the cursor to the highest number seen, keeping the numbers skipped as gaps and
    /// dropping the gaps seen or looked for long enough.
    static func advance(_ cursor: inout FollowCursor, past ids: [Int64], now: ContinuousClock.Instant) {
        let previous = cursor.last
        var fresh = Set<Int64>()
        for id in ids {
            cursor.gaps[id] = nil
            if id > previous { fresh.insert(id) }
        }
        let newest = fresh.max() ?? previous
        let missing = newest - previous - Int64(fresh.count)
        if missing > 0, missing <= maxGap {
            for id in (previous + 1)..<newest where !fresh.contains(id) { cursor.gaps[id] = now }
        }
        cursor.last = newest
        cursor.gaps = cursor.gaps.filter { now - $0.value < gapPatience }
    }
}
