import Foundation
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// What probing the store as a careless user and as an attacker found, kept as tests.
extension SpawningTests.EventStoreProcessTests {
    @Test func purgeOutsideTheShellNeedsYes() {
        let home = TempDir()
        #expect(run("listen events --port 0; simulate event Ping", home: home).status == 0)
        let refused = run("events purge", home: home)
        #expect(refused.status == 2 && refused.err.contains("add --yes"), "\(refused.err)")
        #expect(run("events search --name Ping", home: home).out.contains("<-- Ping"))
        let done = run("events purge --before 0s --yes", home: home)
        #expect(done.status == 0 && done.out.contains("deleted 1 record"), "\(done.out)\(done.err)")
    }

    /// A FIFO at the store's path is refused at once (it used to wait for a writer forever); a
    /// name SQLite would read as a URI is a file of that name.
    @Test func oddStorePathsAreFilesOrRefused() throws {
        let home = TempDir()
        let fifo = home.file("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let r = run("events search", home: home, ["--store", fifo])
        #expect(r.status == 3 && r.err.contains("FIFO"), "\(r.err)")
        let dir = home.file("work")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let child = try ChildProcess(
            "/bin/sh", ["-c", #"cd "$0" && exec "$1" --store file:odd.db -c 'events search'"#, dir, simshBinary],
            environment: simshEnvironment(home: home))
        #expect(child.wait(timeout: 60) == 0, "\(child.stderr)")
        // Relative to the directory simsh ran in: a file literally named so, private.
        var st = stat()
        #expect(stat(dir + "/file:odd.db", &st) == 0 && st.st_mode & 0o777 == 0o600, "\(child.stderr)")
    }

    /// API requests are stored in order before the process ends, and a day is a unit.
    @Test func aOneShotsRequestsAreStoredInOrderBeforeItEnds() {
        let home = TempDir()
        let r = run("ping; users search alike=true number=101", home: home, ["--demo"])
        #expect(r.status == 0, "\(r.err)")
        let found = run("events search --since 7d --output json", home: home)
        let lines = found.out.split(separator: "\n")
        let ping = lines.firstIndex { $0.contains(#""type":"answer""#) && $0.contains("ping") }
        let search = lines.firstIndex { $0.contains("pbx/users/search") }
        #expect(ping != nil && search != nil && ping! < search!, "\(found.out)\(found.err)")
    }

    /// A reader never deletes: records older than its retention stay until a listener prunes.
    @Test func aReaderNeverPrunes() async throws {
        let home = TempDir()
        let (listener, port) = try ListenerMemoryTests().startListener("", home: home)
        #expect(try await TestHTTP.sendPings(0..<2, to: "http://127.0.0.1:\(port)/") == [200, 200])
        listener.stop()
        // Made 40 days old, behind simsh's back.
        let db = home.file("state/simsh/events.db")
        let age = try ChildProcess(
            "/usr/bin/python3",
            [
                "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('update records set time_ms=time_ms-40*86400000'); c.commit()",
                db,
            ])
        #expect(age.wait(timeout: 30) == 0, "\(age.stderr)")
        let read = run("events search --name Ping", home: home)
        #expect(read.out.components(separatedBy: "<-- Ping").count == 3, "\(read.out)\(read.err)")
        // A listener's start prunes them (30 days by default).
        #expect(run("listen events --port 0; listen stop", home: home).status == 0)
        #expect(!run("events search --name Ping", home: home).out.contains("<-- Ping"))
    }

    /// A field with a line break cannot forge a line of the trace.
    @Test func aTraceLineIsOneLineWhateverTheFields() async throws {
        let home = TempDir()
        let (listener, port) = try ListenerMemoryTests().startListener("", home: home)
        defer { listener.stop() }
        let body = Array(
            #"{"event_name":"NewState","unique_id":"ctl1","exten":"1\n12:00:00.000  +0.000 s  <-- Cdr [#9]"}"#.utf8)
        #expect(try await TestHTTP.send("http://127.0.0.1:\(port)/", headers: TestHTTP.json, body: body) == 200)
        let trace = run("calls trace ctl1", home: home)
        let lines = trace.out.split(separator: "\n")
        #expect(lines.count == 2 && lines[1].contains(#"exten=1\n12:00:00.000"#), "\(trace.out)")
    }
}
