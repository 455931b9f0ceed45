import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLiteNIO
import SafeFiles
import SimshRecords

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The embedded store: one SQLite file (`~/.local/state/simsh/events.db`), mode 0600, in WAL mode
/// so that several simsh processes write and read it at once (two listeners and a shell
/// reading): a writer waits for another's commit (`busy_timeout`) instead of failing, readers
/// never wait. `synchronous=NORMAL`: a commit survives the process being killed (it is in the
/// WAL, in the kernel's cache), not a power cut before the next checkpoint.
/// Through sqlite-nio (design.md says why): its calls run on NIO's thread pool, never on an event
/// loop or a cooperative thread.
public final class SQLiteRecordStore: RecordStore {
    public let path: String
    let connection: SQLiteConnection
    let logger: Logger
    /// Set by `close`: a store dropped without it (a session never closed) closes its
    /// connection as it goes (sqlite-nio asserts on a connection dropped open).
    private let closed = NIOLockedValueBox(false)

    /// The schema this binary writes (`PRAGMA user_version`); a newer one is refused.
    public static let schemaVersion = 1

    public var location: String { path }

    private init(path: String, connection: SQLiteConnection, logger: Logger) {
        self.path = path
        self.connection = connection
        self.logger = logger
    }

    /// Opens (creating when missing, with its directory) the store at `path` and brings its
    /// schema up to date.
    public static func open(path given: String, logger: Logger = Logger(label: "simsh.store")) async throws(StoreError)
        -> SQLiteRecordStore
    {
        // Absolute: SQLite reads a name starting `file:` as a URI and `:memory:` as no file at
        // all; the file it opens must be the one checked here.
        let path = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
        try prepareFile(path)
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: .singleton, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            throw StoreError("cannot open the event store \(path): \(describe(error))")
        }
        let store = SQLiteRecordStore(path: path, connection: connection, logger: logger)
        do {
            try await store.configure()
            try await store.migrate()
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    /// Makes the directory (0700) and the file (0600) before SQLite does, under the rules every
    /// file simsh writes follows (a symbolic link planted in a sticky directory is refused).
    /// SQLite gives its `-wal` and `-shm` files the database's mode.
    static func prepareFile(_ path: String) throws(StoreError) {
        let dir = (path as NSString).deletingLastPathComponent
        let fd: Int32
        do {
            if !dir.isEmpty { try SafeFile.ensureDirectory(dir) }
            // Non-blocking: a FIFO at the path is refused below instead of waiting for a writer.
            fd = try SafeFile.openForAppending(path, flags: O_CREAT | O_NONBLOCK)
        } catch {
            throw StoreError("cannot open the event store: \(error.description)")
        }
        var st = stat()
        let isFile = fstat(fd, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
        Glibc.close(fd)
        guard isFile else { throw StoreError("the event store \(path) is not a regular file") }
    }

    private func configure() async throws(StoreError) {
        // busy_timeout replaces sqlite-nio's busy handler, which retries at once without
        // sleeping (a second writer would spin a core while the first commits).
        try await run("PRAGMA busy_timeout = 10000")
        // Free pages are given back (prune's incremental_vacuum); only a new, empty file takes it.
        try await run("PRAGMA auto_vacuum = INCREMENTAL")
        let mode = try await rows("PRAGMA journal_mode = WAL").first?.columns.first?.data.string ?? ""
        guard mode.lowercased() == "wal" else {
            throw StoreError("the event store \(path) cannot use write-ahead logging (journal mode \(mode))")
        }
        try await run("PRAGMA synchronous = NORMAL")
    }

    /// Creates the tables on a new file; refuses a file written by a newer simsh.
    private func migrate() async throws(StoreError) {
        let version = try await userVersion()
        if version == Self.schemaVersion { return }
        if version > Self.schemaVersion { throw newerSchema(version) }
        try await run("BEGIN IMMEDIATE")
        do throws(StoreError) {
            let now = try await userVersion()
            if now > Self.schemaVersion { throw newerSchema(now) }
            if now < 1 { for statement in Self.schemaV1 + RecordSchema.indexes { try await run(statement) } }
            try await run("PRAGMA user_version = \(Self.schemaVersion)")
            try await run("COMMIT")
        } catch {
            try? await run("ROLLBACK")
            throw error
        }
    }

    private func userVersion() async throws(StoreError) -> Int {
        Int(try await rows("PRAGMA user_version").first?.columns.first?.data.integer ?? 0)
    }

    private func newerSchema(_ version: Int) -> StoreError {
        StoreError(
            "the event store \(path) was written by a newer simsh (schema \(version); this one knows "
                + "\(Self.schemaVersion)): update simsh, or name another store with --store")
    }

    /// Version 1. Times in milliseconds since 1970 (UTC). The identifiers a call is found by are
    /// columns (one each for nearly every record) or, for a record carrying many (a CDR search's
    /// rows), rows of `record_keys`, filled by a trigger so that one INSERT stores both.
    static let schemaV1 = [
        """
        CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            time_ms INTEGER NOT NULL,
            name TEXT NOT NULL,
            call_id TEXT,
            unique_id TEXT,
            source TEXT NOT NULL,
            extra_keys TEXT,
            body TEXT NOT NULL
        )
        """,
        "CREATE TABLE record_keys (key TEXT NOT NULL, record INTEGER NOT NULL, PRIMARY KEY (key, record)) WITHOUT ROWID",
        """
        CREATE TRIGGER records_keys AFTER INSERT ON records WHEN NEW.extra_keys IS NOT NULL
        BEGIN
            INSERT OR IGNORE INTO record_keys (key, record) SELECT value, NEW.id FROM json_each(NEW.extra_keys);
        END
        """,
    ]

    public func close() async {
        guard
            closed.withLockedValue({ was in
                defer { was = true }
                return !was
            })
        else { return }
        // The future's close, which a cancelled task (Ctrl-C, SIGTERM) still carries out.
        let closing: EventLoopFuture<Void> = connection.close()
        try? await closing.get()
    }

    deinit {
        if !closed.withLockedValue({ $0 }) { _ = connection.close() }
    }

    /// Runs one statement, for its effect.
    func run(_ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) {
        _ = try await rows(sql, binds)
    }

    /// Runs one statement and gives its rows (collected on the thread pool).
    func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws(StoreError) -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw StoreError("the event store \(path): \(Self.describe(error))")
        }
    }

    /// SQLite's error in words (its own message, without the library's reason code).
    static func describe(_ error: any Error) -> String {
        if let e = error as? SQLiteError {
            let m = e.message
            if m.contains("file is not a database") { return "not an SQLite database" }
            if m.contains("database or disk is full") { return "the disk is full" }
            if m.contains("database is locked") { return "another process holds it locked (more than 10 s)" }
            if m.contains("unable to open database file") { return "cannot open the file" }
            if m.contains("attempt to write a readonly database") { return "it is read-only" }
            return m
        }
        return "\(error)"
    }
}
