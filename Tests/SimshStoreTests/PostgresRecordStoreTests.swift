import Foundation
import NIOConcurrencyHelpers
import SimotelKit
import SimshRecords
import SimshStore
import SimshTesting
import Testing

/// The team's store against a real PostgreSQL server (Debian's, started by the tests on
/// 127.0.0.1, one per run, each test its own database): the SQLite store's cases, and what a
/// shared database adds — listeners writing and opening at once, notifications, passwords,
/// missing databases, the schema's version. SIMSH_SKIP_POSTGRES=1 leaves them out; without the
/// server's package they fail, saying so.
@Suite(.enabled(if: !PostgresServer.skipped, "SIMSH_SKIP_POSTGRES=1 leaves the PostgreSQL tests out"))
struct PostgresRecordStoreTests {
    func record(
        _ name: String, call: String? = nil, unique: String? = nil, extra: [String] = [], at time: Date = Date()
    ) -> StoredRecord {
        StoredRecord(
            kind: .event, time: time, name: name, callID: call, uniqueID: unique, extraKeys: extra, source: "test",
            body: #"{"name":"\#(name)","payload":{"event_name":"\#(name)"}}"#)
    }

    /// A new database on the run's server: the server and the database's URL.
    func newDatabase() throws -> (server: PostgresServer, url: String) {
        let server = try PostgresServer.forTests()
        return (server, try server.createDatabase())
    }

    func open(_ url: String, pollInterval: Duration = .seconds(2)) async throws -> PostgresRecordStore {
        try await PostgresRecordStore.open(url: url, password: PostgresServer.password, pollInterval: pollInterval)
    }

    @Test func recordsAreNumberedInOrderAndReadBackWhole() async throws {
        let (_, url) = try newDatabase()
        let store = try await open(url)
        let ids = try await store.write([
            record("Ping"), record("NewState", unique: "1.1"), record("Cdr", call: "orig.call.1.2", unique: "1.1"),
        ])
        #expect(ids == [1, 2, 3])
        let all = try await store.search(RecordQuery())
        #expect(all.map(\.name) == ["Ping", "NewState", "Cdr"])
        #expect(all[2].callID == "orig.call.1.2" && all[2].uniqueID == "1.1" && all[2].source == "test")
        #expect(all[1].json["payload"]?["event_name"]?.stringValue == "NewState")
        #expect(try await store.search(RecordQuery(names: ["Cdr"])).map(\.id) == [3])
        #expect(try await store.search(RecordQuery(last: 2)).map(\.id) == [2, 3])
        #expect(try await store.search(RecordQuery(keys: ["1.1"])).map(\.id) == [2, 3])
        #expect(try await store.record(id: 2)?.name == "NewState")
        #expect(try await store.record(id: 9) == nil)
        let summary = try await store.summary()
        #expect(summary.records == 3 && summary.newestID == 3 && summary.bytes > 0)
        #expect(summary.location == url)
        await store.close()
    }

    /// TEXT, not JSONB: the bytes given back are the bytes stored (order of keys, spaces,
    /// escapes, Persian script).
    @Test func aBodyComesBackByteForByte() async throws {
        let (_, url) = try newDatabase()
        let store = try await open(url)
        let body = #"{ "z": 1, "name" : "علی رضایی",  "a": "tab\there \u0007 \"q\"", "n": 1.50 }"#
        let id = try await store.write([StoredRecord(kind: .event, time: Date(), name: "X", source: "t", body: body)])
        #expect(try await store.record(id: id[0])?.body == body)
        await store.close()
    }

    @Test func aCDRSearchIsFoundByEachOfItsRowsIdentifiers() async throws {
        let (_, url) = try newDatabase()
        let store = try await open(url)
        let keys = ["1669962473.12", "1669962473.99", "orig.call.5.6", "1669962473.12"]
        var search = record("POST reports/cdr", extra: keys)
        search.kind = .request
        _ = try await store.write([search, record("Ping")])
        for key in ["1669962473.12", "1669962473.99", "orig.call.5.6"] {
            #expect(try await store.records(withKeys: [key], limit: 10).map(\.id) == [1], "\(key)")
        }
        #expect(try await store.records(withKeys: ["nothing"], limit: 10).isEmpty)
        #expect(try await store.record(id: 1)?.extraKeys.count == 4)
        await store.close()
    }

    /// Two listeners' stores writing one database at once: every record stored, each number
    /// given once.
    @Test func twoWritersAtOnceLoseNothing() async throws {
        let (_, url) = try newDatabase()
        let a = try await open(url)
        let b = try await open(url)
        let ids = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (n, store) in [a, b].enumerated() {
                group.addTask {
                    var got: [Int64] = []
                    for i in 0..<50 { got += try await store.write([record("W\(n)-\(i)"), record("W\(n)-\(i)b")]) }
                    return got
                }
            }
            var all: [Int64] = []
            for try await got in group { all += got }
            return all
        }
        #expect(ids.count == 200 && Set(ids).count == 200)
        #expect(try await a.summary().records == 200)
        await a.close()
        await b.close()
    }

    /// Two listeners opening a new database at once: one creates the schema under the advisory
    /// lock, the other finds it made.
    @Test func twoStoresOpeningANewDatabaseAtOnceBothWork() async throws {
        let (server, url) = try newDatabase()
        async let first = open(url)
        async let second = open(url)
        let (a, b) = try await (first, second)
        _ = try await a.write([record("A")])
        _ = try await b.write([record("B")])
        let database = String(url.split(separator: "/").last ?? "")
        #expect(try server.psql("SELECT version FROM simsh_schema", database: database) == "1")
        #expect(try await a.summary().records == 2)
        await a.close()
        await b.close()
    }

    @Test func aStoreOfANewerSchemaIsRefusedInWords() async throws {
        let (server, url) = try newDatabase()
        await (try await open(url)).close()
        try server.psql("UPDATE simsh_schema SET version = 7", database: String(url.split(separator: "/").last ?? ""))
        do {
            _ = try await open(url)
            Issue.record("a store of schema 7 was opened")
        } catch {
            #expect("\(error)".contains("written by a newer simsh (schema 7; this one knows 1)"), "\(error)")
        }
    }

    /// A wrong password, a missing database, no password, nothing listening: one line each,
    /// at once (not after the pool's minute of retries), never the library's dump.
    @Test func whyAStoreCannotBeOpenedIsOneLine() async throws {
        let (server, url) = try newDatabase()
        func failure(_ url: String, password: String?) async -> String {
            do {
                let store = try await PostgresRecordStore.open(url: url, password: password)
                await store.close()
                return "opened"
            } catch {
                return "\(error)"
            }
        }
        let wrong = await failure(url, password: "not the password")
        #expect(wrong == "cannot connect to the event store \(url): password authentication failed for user \"simsh\"")
        let missing = await failure(server.url("no_such_db"), password: PostgresServer.password)
        #expect(missing.hasSuffix(#"database "no_such_db" does not exist"#), "\(missing)")
        let none = await failure(url, password: nil)
        #expect(none.contains("the server asks for a password"), "\(none)")
        let nowhere = "postgresql://simsh@127.0.0.1:\(closedPort())/x"
        let refused = await failure(nowhere, password: "p")
        #expect(refused == "cannot connect to the event store \(nowhere): connection refused")
        for text in [wrong, missing, none, refused] {
            #expect(!text.contains("\n") && !text.contains("PSQLError"), "\(text)")
        }
    }

    @Test func purgeAndRetentionDropTheOldestFirst() async throws {
        let (_, url) = try newDatabase()
        let store = try await open(url)
        let old = Date().addingTimeInterval(-40 * 86_400)
        _ = try await store.write([record("Old", call: "c1", extra: ["k1"], at: old), record("New", call: "c2")])
        try await store.prune(StoreRetention(keepDays: 30))
        #expect(try await store.search(RecordQuery()).map(\.name) == ["New"])
        #expect(try await store.records(withKeys: ["k1"], limit: 10).isEmpty)
        #expect(try await store.purge(before: nil) == 1)
        #expect(try await store.summary().records == 0)
        await store.close()
    }

    /// Over the size bound the oldest go, as many as the records' size says; pruning again
    /// with the same bound drops nothing more (the files, which do not shrink, are not counted).
    @Test func theSizeBoundDropsTheOldestOnce() async throws {
        let (_, url) = try newDatabase()
        let store = try await open(url)
        // Names of one length: records of one size.
        let ids = try await store.write((0..<300).map { record("R\(1000 + $0)") })
        try await store.prune(StoreRetention(keepDays: 30, maxBytes: 40_000))
        let kept = try await store.search(RecordQuery(limit: 1000)).map(\.id)
        #expect(!kept.isEmpty && kept.count < 300, "\(kept.count)")
        #expect(kept == Array(ids.suffix(kept.count)))
        try await store.prune(StoreRetention(keepDays: 30, maxBytes: 40_000))
        #expect(try await store.summary().records == Int64(kept.count))
        await store.close()
    }

    /// `events follow` is woken by the notification another listener's INSERT sends: the
    /// reader here looks by itself only every 10 minutes.
    @Test func followIsNotifiedOfWhatAnotherStoreWrites() async throws {
        let (_, url) = try newDatabase()
        let reader = try await open(url, pollInterval: .seconds(600))
        let writer = try await open(url)
        _ = try await writer.write([record("Before")])
        let seen = NIOLockedValueBox<[String]>([])
        let follower = Task {
            for try await r in reader.follow(RecordQuery()) { seen.withLockedValue { $0.append(r.name) } }
        }
        // Written until the follower, which starts after the newest record, has seen two.
        let deadline = ContinuousClock.now + .seconds(30)
        var i = 0
        while seen.withLockedValue({ $0.count }) < 2, ContinuousClock.now < deadline {
            _ = try await writer.write([record("After\(i)")])
            i += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        follower.cancel()
        let names = seen.withLockedValue { $0 }
        #expect(names.count >= 2 && names.allSatisfy { $0.hasPrefix("After") }, "\(names)")
        await reader.close()
        await writer.close()
    }

    /// Two listeners writing at once commit out of the order of their numbers; the follower
    /// still sees every record once.
    @Test func followSeesEveryRecordOfTwoWritersOnce() async throws {
        let (_, url) = try newDatabase()
        let reader = try await open(url)
        let writers = [try await open(url), try await open(url)]
        let seen = NIOLockedValueBox<[Int64]>([])
        let follower = Task {
            for try await r in reader.follow(RecordQuery(afterID: 0)) { seen.withLockedValue { $0.append(r.id) } }
        }
        let written = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (n, store) in writers.enumerated() {
                group.addTask {
                    var got: [Int64] = []
                    for i in 0..<40 { got += try await store.write((0...(i % 3)).map { record("W\(n)-\(i)-\($0)") }) }
                    return got
                }
            }
            var all: [Int64] = []
            for try await got in group { all += got }
            return all
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while seen.withLockedValue({ $0.count }) < written.count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        follower.cancel()
        let ids = seen.withLockedValue { $0 }
        #expect(ids.count == written.count && Set(ids) == Set(written), "\(ids.count) of \(written.count)")
        await reader.close()
        for w in writers { await w.close() }
    }

    @Test func aURLNamesTheServerAndItsTLS() throws {
        let local = try PostgresStoreSettings.parse("postgresql://u@127.0.0.1/simsh")
        #expect(local.port == 5432 && local.sslMode == .disable)
        #expect(local.location == "postgresql://u@127.0.0.1:5432/simsh")
        let remote = try PostgresStoreSettings.parse("postgresql://u@db.example.com:5433/simsh")
        #expect(remote.sslMode == .require && remote.location == "postgresql://u@db.example.com:5433/simsh")
        let verified = try PostgresStoreSettings.parse("postgres://u@db.example.com/x?sslmode=verify-full")
        #expect(verified.sslMode == .verifyFull)
        #expect(try PostgresStoreSettings.parse("postgresql://u@[::1]:6000/x").sslMode == .disable)
        let socket = try PostgresStoreSettings.parse("postgresql://u@localhost/x?host=/run/postgresql")
        #expect(socket.socketDirectory == "/run/postgresql" && socket.sslMode == .disable)
        #expect(try PostgresStoreSettings.parse("postgresql://u@db/").database == "u")
        #expect(throws: StoreError.self) { try PostgresStoreSettings.parse("postgresql://u@db/x?sslmode=maybe") }
        #expect(throws: StoreError.self) { try PostgresStoreSettings.parse("postgresql://u:secret@db/x") }
        #expect(throws: StoreError.self) { try PostgresStoreSettings.parse("postgresql://u@db/x?pool=9") }
    }
}
