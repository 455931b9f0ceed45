import Foundation
import SimshTesting
import Testing

@testable import SimshRuntime

@Suite struct HistoryStoreTests {
    @Test func appendsAtOnceAndSkipsRepeats() throws {
        let dir = TempDir()
        let store = HistoryStore(path: dir.file("state/history"), limit: 3)
        try store.record("ping")
        try store.record("ping")
        try store.record("connect x --api-key K")
        // A second store (another shell) sees every line at once: nothing waits for exit.
        let other = HistoryStore(path: store.path, limit: 3)
        #expect(try other.entries() == ["ping", "connect x --api-key ****"])
        try other.record("status")
        try store.record("version")
        #expect(try store.entries() == ["connect x --api-key ****", "status", "version"])
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(!text.contains(" K"))
        var st = stat()
        stat(store.path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
    }

    @Test func clear() throws {
        let dir = TempDir()
        let store = HistoryStore(path: dir.file("h"))
        try store.record("ping")
        try store.clear()
        #expect(try store.entries().isEmpty)
    }
}
