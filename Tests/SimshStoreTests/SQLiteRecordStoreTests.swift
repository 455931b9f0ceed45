import Foundation
import NIOConcurrencyHelpers
import SQLiteNIO
import SimotelKit
import SimshRecords
import SimshStore
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The embedded store on its own: records in and out, the call's identifiers found by index,
/// several writers at once, the schema's version, retention.
@Suite struct SQLiteRecordStoreTests {
    func record(
        _ name: String, call: String? = nil, unique: String? = nil, extra: [String] = [], at time: Date = Date()
    )
        -> StoredRecord
    {
        StoredRecord(
            kind: .event, time: time, name: name, callID: call, uniqueID: unique, extraKeys: extra, source: "test",
            body: #"{"name":"\#(name)","payload":{"event_name":"\#(name)"}}"#)
    }

    @Test func recordsAreNumberedInOrderAndReadBackWhole() async throws {
        let dir = TempDir()
        let store = try await SQLiteRecordStore.open(path: dir.file("state/events.db"))
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
        await store.close()
    }

    @Test func theFileIsPrivateAndInWriteAheadLogMode() async throws {
        let dir = TempDir()
        let path = dir.file("state/simsh/events.db")
        let store = try await SQLiteRecordStore.open(path: path)
        _ = try await store.write([record("Ping")])
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(stat(dir.file("state/simsh"), &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        await store.close()
    }

    @Test func aCDRSearchIsFoundByEachOfItsRowsIdentifiers() async throws {
        let dir = TempDir()
        let store = try await SQLiteRecordStore.open(path: dir.file("events.db"))
        var search = record("POST reports/cdr", extra: ["1669962473.12", "1669962473.99", "orig.call.5.6"])
        search.kind = .request
        _ = try await store.write([search, record("Ping")])
        for key in ["1669962473.12", "1669962473.99", "orig.call.5.6"] {
            #expect(try await store.records(withKeys: [key], limit: 10).map(\.id) == [1], "\(key)")
        }
        #expect(try await store.records(withKeys: ["nothing"], limit: 10).isEmpty)
        await store.close()
    }

    /// Two processes' connections writing at once (here two stores on one file, as two
    /// listeners would): every record stored, each number given once.
    @Test func twoWritersAtOnceLoseNothing() async throws {
        let dir = TempDir()
        let path = dir.file("events.db")
        let a = try await SQLiteRecordStore.open(path: path)
        let b = try await SQLiteRecordStore.open(path: path)
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

    @Test func aStoreOfANewerSchemaIsRefusedInWords() async throws {
        let dir = TempDir()
        let path = dir.file("events.db")
        await (try await SQLiteRecordStore.open(path: path)).close()
        let raw = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await raw.query("PRAGMA user_version = 7")
        try await raw.close()
        do {
            _ = try await SQLiteRecordStore.open(path: path)
            Issue.record("a store of schema 7 was opened")
        } catch {
            #expect(error.description.contains("written by a newer simsh (schema 7; this one knows 1)"), "\(error)")
        }
    }

    @Test func aFileThatIsNotADatabaseIsSaidSo() async throws {
        let dir = TempDir()
        let path = dir.file("events.db")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        do {
            _ = try await SQLiteRecordStore.open(path: path)
            Issue.record("a text file was opened as a store")
        } catch {
            #expect(error.description.contains("not an SQLite database"), "\(error)")
            #expect(!error.description.contains("SQLITE_"), "\(error)")
        }
    }

    @Test func purgeAndRetentionDropTheOldestFirst() async throws {
        let dir = TempDir()
        let store = try await SQLiteRecordStore.open(path: dir.file("events.db"))
        let old = Date().addingTimeInterval(-40 * 86_400)
        _ = try await store.write([record("Old", call: "c1", at: old), record("New", call: "c2")])
        try await store.prune(StoreRetention(keepDays: 30))
        #expect(try await store.search(RecordQuery()).map(\.name) == ["New"])
        #expect(try await store.purge(before: nil) == 1)
        #expect(try await store.summary().records == 0)
        await store.close()
    }

    @Test func followSeesWhatAnotherConnectionStores() async throws {
        let dir = TempDir()
        let path = dir.file("events.db")
        let reader = try await SQLiteRecordStore.open(path: path)
        let writer = try await SQLiteRecordStore.open(path: path)
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
            try await Task.sleep(for: .milliseconds(50))
        }
        follower.cancel()
        let names = seen.withLockedValue { $0 }
        #expect(names.count >= 2 && names.allSatisfy { $0.hasPrefix("After") }, "\(names)")
        await reader.close()
        await writer.close()
    }

    @Test func aLocationIsAFileAPostgreSQLURLOrOff() throws {
        #expect(try StoreLocation.parse("off", home: "/h") == nil)
        #expect(try StoreLocation.parse("~/x.db", home: "/h") == .sqlite(path: "/h/x.db"))
        #expect(
            try StoreLocation.parse("postgresql://u@db:5432/simsh", home: "/h")
                == .postgres(url: "postgresql://u@db:5432/simsh"))
        #expect(throws: StoreError.self) { try StoreLocation.parse("postgresql://u:secret@db/simsh", home: "/h") }
        #expect(throws: StoreError.self) { try StoreLocation.parse("mysql://db/x", home: "/h") }
    }
}
