import Foundation
import NIOCore

/// Where records are kept: one SQLite file by default, or a team's PostgreSQL database. Every
/// method may be called from any task; writes of one process are batched by their callers (the
/// listener: one write per turn of its event loop).
public protocol RecordStore: AnyObject, Sendable {
    /// The file or the database, as `listen status` shows it (no password).
    var location: String { get }

    /// Stores the records, in order, and gives their numbers. A failure stores none of them.
    func write(_ records: [StoredRecord]) async throws(StoreError) -> [Int64]

    /// The records a query asks for, oldest first.
    func search(_ query: RecordQuery) async throws(StoreError) -> [StoredRecord]

    /// Every record carrying any of these identifiers, oldest first (at most `limit`).
    func records(withKeys keys: [String], limit: Int) async throws(StoreError) -> [StoredRecord]

    func record(id: Int64) async throws(StoreError) -> StoredRecord?

    /// Deletes the records older than `before` (all of them when nil); how many went.
    func purge(before: Date?) async throws(StoreError) -> Int

    func summary() async throws(StoreError) -> StoreSummary

    /// Drops records past the retention's age and size, oldest first.
    func prune(_ retention: StoreRetention) async throws(StoreError)

    /// New records as any process stores them (`events follow`), from after `afterID`, until
    /// the task is cancelled.
    func follow(_ query: RecordQuery) -> AsyncThrowingStream<StoredRecord, any Error>

    func close() async
}

extension RecordStore {
    /// `write` for an event loop: the listener answers when the future completes.
    public func write(_ records: [StoredRecord], on loop: any EventLoop) -> EventLoopFuture<[Int64]> {
        let promise = loop.makePromise(of: [Int64].self)
        Task {
            do { promise.succeed(try await write(records)) } catch { promise.fail(error) }
        }
        return promise.futureResult
    }

    /// New records by looking every `interval` (a store without notifications: SQLite, read by
    /// another process than the writers).
    public func polling(
        _ query: RecordQuery, interval: Duration = .milliseconds(200)
    ) -> AsyncThrowingStream<StoredRecord, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var q = query
                    if q.afterID == nil { q.afterID = try await summary().newestID }
                    q.last = nil
                    while !Task.isCancelled {
                        let found = try await search(q)
                        for r in found { continuation.yield(r) }
                        if let last = found.last { q.afterID = last.id }
                        if found.count < q.limit { try await Task.sleep(for: interval) }
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Where `--store`, `SIMSH_STORE` or a profile's `store` says records go.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// `off` is `nil`: no store. A `postgres://` or `postgresql://` URL is PostgreSQL; anything
    /// else is a file path (`~` expanded against `home`).
    public static func parse(_ text: String, home: String) throws(StoreError) -> StoreLocation? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { throw StoreError("the store is empty: give a file path, a postgresql:// URL or off") }
        if t.lowercased() == "off" { return nil }
        let lower = t.lowercased()
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            guard let url = URLComponents(string: t), url.host?.isEmpty == false else {
                throw StoreError("'\(t)' is not a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)")
            }
            if url.password != nil {
                throw StoreError(
                    "a password in the store's URL would show in ps and history: "
                        + "give it in PGPASSWORD (or the profile's store_password_env) instead")
            }
            return .postgres(url: t)
        }
        if lower.contains("://") {
            throw StoreError("'\(t)' is neither a file nor a postgresql:// URL")
        }
        if t == "~" { return .sqlite(path: home) }
        if t.hasPrefix("~/") { return .sqlite(path: home + String(t.dropFirst(1))) }
        return .sqlite(path: t)
    }

    /// The default: `$XDG_STATE_HOME/simsh/events.db`, else `~/.local/state/simsh/events.db`.
    public static func defaultPath(environment env: [String: String], home: String) -> String {
        if let state = env["XDG_STATE_HOME"], !state.isEmpty { return state + "/simsh/events.db" }
        return home + "/.local/state/simsh/events.db"
    }

    /// As `listen status` shows it.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return url
        }
    }
}
