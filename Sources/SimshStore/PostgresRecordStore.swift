import Foundation
import Logging
import NIOCore
import PostgresNIO
import SimotelKit
import SimshRecords

/// A team's store: the same records as the SQLite store's, in a PostgreSQL database that several
/// listeners on several machines write and any shell reads (`--store postgresql://…`), through
/// postgres-nio's `PostgresClient` (a pool whose `run()` a task of the store keeps going).
/// Bodies are TEXT, not JSONB: fewer bytes per event, and the bytes given back are the bytes
/// stored. Every INSERT into `records` notifies `simsh_records` (a statement trigger), so
/// `events follow` sees every listener's records at once (LISTEN/NOTIFY).
///
/// A call waits at most `operationTimeout`: the pool retries a connection it cannot make for a
/// minute without saying why, so a failure is explained by connecting once outside the pool.
public final class PostgresRecordStore: RecordStore {
    public let settings: PostgresStoreSettings
    let password: String?
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    /// How often `follow` looks without being notified (a notification lost with a connection).
    let pollInterval: Duration

    /// The schema this binary writes (`simsh_schema.version`); a newer one is refused.
    public static let schemaVersion = 1
    /// The advisory lock a migration holds, so that two listeners opening a new database at once
    /// do not both create it ("simsh" in ASCII).
    static let migrationLock: Int64 = 0x73_69_6D_73_68
    /// The channel every INSERT into `records` notifies.
    static let channel = "simsh_records"
    static let operationTimeout: Duration = .seconds(15)

    public var location: String { settings.location }

    private init(
        settings: PostgresStoreSettings, password: String?, client: PostgresClient, logger: Logger,
        pollInterval: Duration
    ) {
        self.settings = settings
        self.password = password
        self.client = client
        self.logger = logger
        self.pollInterval = pollInterval
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// Opens the database at `url` (see `PostgresStoreSettings` for its form and TLS) and brings
    /// its schema up to date. `password` is PGPASSWORD's or the profile's `store_password_env`'s.
    /// `pollInterval`: how often `follow` looks besides being notified.
    public static func open(
        url: String, password: String?, logger: Logger = Logger(label: "simsh.store"),
        pollInterval: Duration = .seconds(2)
    ) async throws(StoreError) -> PostgresRecordStore {
        // postgres-nio's own notes (a connection that failed, a lease before `run()` began) are
        // not simsh's to print: failures are said in words by the store.
        var logger = logger
        logger.logLevel = max(logger.logLevel, .error)
        let settings = try PostgresStoreSettings.parse(url)
        let connection = try await settings.connect(password: password, logger: logger)
        do {
            try await migrate(connection, settings: settings, logger: logger)
        } catch {
            try? await connection.close()
            if let error = error as? StoreError { throw error }
            throw StoreError("the event store \(settings.location): \(reason(error, timeout: settings.connectTimeout))")
        }
        try? await connection.close()
        let client = PostgresClient(
            configuration: settings.clientConfiguration(password: password), backgroundLogger: logger)
        return PostgresRecordStore(
            settings: settings, password: password, client: client, logger: logger, pollInterval: pollInterval)
    }

    /// Ends the pool's connections (and any `follow`'s).
    public func close() async {
        runner.cancel()
        await runner.value
    }

    /// Creates the tables in a new database, under an advisory lock held to the end of the
    /// transaction; refuses a database written by a newer simsh. A database already up to date
    /// is only read (a reader may lack the right to create tables).
    static func migrate(_ connection: PostgresConnection, settings: PostgresStoreSettings, logger: Logger)
        async throws
    {
        let found = try await version(connection, logger: logger)
        if found == schemaVersion { return }
        if let found, found > schemaVersion { throw newerSchema(found, settings.location) }
        try await exec(connection, "BEGIN", logger)
        do {
            try await exec(connection, "SELECT pg_advisory_xact_lock(\(migrationLock))", logger)
            try await exec(connection, "CREATE TABLE IF NOT EXISTS simsh_schema (version int NOT NULL)", logger)
            let now = try await version(connection, logger: logger) ?? 0
            if now > schemaVersion { throw newerSchema(now, settings.location) }
            if now < 1 {
                for statement in schemaV1 + RecordSchema.indexes { try await exec(connection, statement, logger) }
            }
            try await exec(connection, "DELETE FROM simsh_schema", logger)
            try await exec(connection, "INSERT INTO simsh_schema (version) VALUES (\(schemaVersion))", logger)
            try await exec(connection, "COMMIT", logger)
        } catch {
            try? await exec(connection, "ROLLBACK", logger)
            throw error
        }
    }

    /// Runs one statement of the migration, for its effect.
    static func exec(_ connection: PostgresConnection, _ sql: String, _ logger: Logger) async throws {
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }

    /// The one number a statement of the migration gives (nil when it gives no row).
    static func value<Value: PostgresDecodable & Sendable>(
        _ connection: PostgresConnection, _ sql: String, _ type: Value.Type, _ logger: Logger
    ) async throws -> Value? {
        var found: Value?
        for try await v in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(type) {
            found = v
        }
        return found
    }

    /// The schema's version, nil when the database has none yet.
    static func version(_ connection: PostgresConnection, logger: Logger) async throws -> Int? {
        let exists = try await value(connection, "SELECT to_regclass('simsh_schema') IS NOT NULL", Bool.self, logger)
        guard exists == true else { return nil }
        let read = "SELECT coalesce(max(version), 0)::bigint FROM simsh_schema"
        return Int(try await value(connection, read, Int64.self, logger) ?? 0)
    }

    static func newerSchema(_ version: Int, _ location: String) -> StoreError {
        StoreError(
            "the event store \(location) was written by a newer simsh (schema \(version); this one knows "
                + "\(schemaVersion)): update simsh, or name another store with --store")
    }

    /// Version 1: the SQLite store's tables and indexes (times in milliseconds since 1970, UTC).
    /// `record_keys` is filled by the INSERT that stores the records (a data-modifying WITH), and
    /// a statement trigger notifies `simsh_records` once per INSERT.
    static let schemaV1 = [
        """
        CREATE TABLE records (
            id BIGSERIAL PRIMARY KEY,
            kind TEXT NOT NULL,
            time_ms BIGINT NOT NULL,
            name TEXT NOT NULL,
            call_id TEXT,
            unique_id TEXT,
            source TEXT NOT NULL,
            extra_keys TEXT,
            body TEXT NOT NULL
        )
        """,
        "CREATE TABLE record_keys (key TEXT NOT NULL, record BIGINT NOT NULL, PRIMARY KEY (key, record))",
        """
        CREATE OR REPLACE FUNCTION simsh_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('\(PostgresRecordStore.channel)', '');
            RETURN NULL;
        END
        $$
        """,
        "CREATE TRIGGER records_notify AFTER INSERT ON records FOR EACH STATEMENT EXECUTE FUNCTION simsh_notify()",
    ]

    /// Runs one operation of the pool within `operationTimeout`; a failure becomes one line.
    func bounded<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws(StoreError) -> T {
        let timeout = Self.operationTimeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await operation() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else { throw TimedOut() }
                return value
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw await failure(error)
        }
    }

    struct TimedOut: Error {}

    /// An error of the pool in words. A server's own error (a missing table, a permission) is
    /// its message; anything else is explained by connecting once outside the pool.
    func failure(_ error: any Error) async -> StoreError {
        if error is CancellationError || Task.isCancelled {
            return StoreError("the event store \(location): cancelled")
        }
        if let e = error as? PSQLError, let message = e.serverInfo?[.message] {
            return StoreError("the event store \(location): \(message)")
        }
        do throws(StoreError) {
            let probe = try await settings.connect(password: password, logger: logger, timeout: 5)
            try? await probe.close()
        } catch {
            return error
        }
        if error is TimedOut {
            let seconds = Self.operationTimeout.components.seconds
            return StoreError("the event store \(location) did not answer within \(seconds) s")
        }
        return StoreError("the event store \(location): \(Self.reason(error, timeout: settings.connectTimeout))")
    }

    /// postgres-nio's error in words: the server's message when it sent one (`password
    /// authentication failed for user "u"`, `database "x" does not exist`), else what happened
    /// to the connection — never the library's dump.
    static func reason(_ error: any Error, timeout: Int) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return message }
            switch e.code {
            case .connectionError, .failedToAddSSLHandler:
                guard let underlying = e.underlying else { return "connection failed" }
                return TransportErrorDescription.describeNow(underlying, timeout: Double(timeout))
            case .sslUnsupported:
                return "the server does not accept TLS (sslmode=disable connects without it)"
            case .authMechanismRequiresPassword:
                return "the server asks for a password: give it in PGPASSWORD (or the profile's store_password_env)"
            case .unsupportedAuthMechanism:
                return "the server asks for an authentication simsh does not know (it knows scram-sha-256 and md5)"
            case .saslError:
                return "password authentication failed"
            case .serverClosedConnection, .uncleanShutdown:
                return "the server closed the connection"
            case .clientClosedConnection, .poolClosed:
                return "the store is closed"
            case .queryCancelled:
                return "cancelled"
            case .tooManyParameters:
                return "too many values in one statement"
            default:
                return "unexpected answer from the server (\(e.code))"
            }
        }
        if let e = error as? PostgresDecodingError {
            return "unexpected data in the store (column \(e.columnName))"
        }
        if error is CancellationError { return "cancelled" }
        return TransportErrorDescription.describeNow(error, timeout: Double(timeout))
    }
}
