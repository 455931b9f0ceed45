import Foundation
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

extension SpawningTests {
    /// The team's store with the real binary (issue 24): two listeners on two ports writing one
    /// PostgreSQL database and a shell started later reading it find the same records; a
    /// listener killed with SIGKILL loses no event it answered 200.
    @Suite(.enabled(if: !PostgresServer.skipped, "SIMSH_SKIP_POSTGRES=1 leaves the PostgreSQL tests out"))
    struct EventStorePostgresTests {
        /// A simsh of its own home whose store is the database (its password in PGPASSWORD).
        func simsh(_ arguments: [String], url: String, home: TempDir) throws -> ChildProcess {
            try startSimsh(
                ["--store", url] + arguments, home: home, environment: ["PGPASSWORD": PostgresServer.password])
        }

        func listener(url: String, home: TempDir) throws -> (ChildProcess, String) {
            let child = try simsh(["-c", "listen events --port 0; sleep 120"], url: url, home: home)
            guard let address = child.waitForListenerURL(timeout: 60) else {
                child.stop()
                throw SpawnError(message: "no listener address: \(child.stderr)")
            }
            return (child, address + "/")
        }

        func read(_ script: String, url: String, home: TempDir) throws -> (status: Int32, out: String, err: String) {
            let child = try simsh(["-c", script], url: url, home: home)
            let status = child.wait(timeout: 60)
            return (status, child.stdout, child.stderr)
        }

        @Test func twoListenersAndALaterShellShareOneDatabase() async throws {
            let server = try PostgresServer.forTests()
            let url = try server.createDatabase()
            let (homeA, homeB, homeC) = (TempDir(), TempDir(), TempDir())
            let (a, urlA) = try listener(url: url, home: homeA)
            defer { a.stop() }
            let (b, urlB) = try listener(url: url, home: homeB)
            defer { b.stop() }
            async let sentA = TestHTTP.sendPings(0..<40, to: urlA)
            async let sentB = TestHTTP.sendPings(100..<140, to: urlB)
            let answered = try await (sentA + sentB).filter { $0 == 200 }.count
            #expect(answered == 80)
            let cdr = Array(
                #"{"event_name":"Cdr","unique_id":"1796662289.9","originated_call_id":"orig.call.1796662289.4","disposition":"NO ANSWER"}"#
                    .utf8)
            #expect(try await TestHTTP.send(urlB, headers: TestHTTP.json, body: cdr) == 200)
            let found = try read("events search --name Ping --last 1000 --output json", url: url, home: homeC)
            #expect(found.status == 0, "\(found.err)")
            #expect(found.out.split(separator: "\n").count == answered, "\(found.err)")
            let trace = try read("calls trace 1796662289.9", url: url, home: homeC)
            #expect(trace.status == 0 && trace.out.contains("<-- Cdr"), "\(trace.out)\(trace.err)")
            // The password given in PGPASSWORD is nowhere in what simsh printed.
            #expect(!(found.err + trace.out + trace.err).contains(PostgresServer.password))
        }

        @Test func killNineLosesNoEventAnswered200() async throws {
            let server = try PostgresServer.forTests()
            let url = try server.createDatabase()
            let home = TempDir()
            let (listener, address) = try listener(url: url, home: home)
            let statuses = try await TestHTTP.sendPings(0..<40, to: address)
            kill(listener.pid, SIGKILL)
            _ = listener.wait(timeout: 10)
            let answered = statuses.filter { $0 == 200 }.count
            let found = try read("events search --name Ping --last 1000 --output json", url: url, home: TempDir())
            #expect(found.out.split(separator: "\n").count == answered, "\(found.err)")
        }

        /// `events follow` in one shell sees what a listener elsewhere stores (LISTEN/NOTIFY).
        @Test func followSeesAnotherListenersEvents() async throws {
            let server = try PostgresServer.forTests()
            let url = try server.createDatabase()
            let (listener, address) = try listener(url: url, home: TempDir())
            defer { listener.stop() }
            let follower = try simsh(["-c", "events follow --name Ping --timeout 60s"], url: url, home: TempDir())
            defer { follower.stop() }
            // Sent until the follower (which starts after the newest record) has printed one.
            var i = 0
            let deadline = Date().addingTimeInterval(60)
            while !follower.stdout.contains("<-- Ping"), Date() < deadline {
                _ = try await TestHTTP.sendPings(i..<(i + 1), to: address)
                i += 1
                _ = follower.waitFor(timeout: 0.5) { follower.stdout.contains("<-- Ping") }
            }
            #expect(follower.stdout.contains("<-- Ping"), "\(follower.stderr)")
        }
    }
}
