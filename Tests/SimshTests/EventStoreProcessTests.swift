import Foundation
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

extension SpawningTests {
    /// The event store across processes (issue 24): a listener stores, a shell started later
    /// reads; answered 200 ⇒ stored, also when the listener is killed; two listeners on one
    /// file lose nothing; a one-shot that needs no store opens none.
    @Suite struct EventStoreProcessTests {
        func run(_ script: String, home: TempDir, _ extra: [String] = []) -> (status: Int32, out: String, err: String) {
            guard let child = try? startSimsh(extra + ["-c", script], home: home) else { return (-1, "", "") }
            let status = child.wait(timeout: 60)
            return (status, child.stdout, child.stderr)
        }

        @Test func aShellStartedLaterFindsWhatAListenerStored() async throws {
            let home = TempDir()
            let (listener, port) = try ListenerMemoryTests().startListener("", home: home)
            defer { listener.stop() }
            let url = "http://127.0.0.1:\(port)/"
            #expect(try await TestHTTP.sendPings(0..<3, to: url) == [200, 200, 200])
            let cdr = Array(
                #"{"event_name":"Cdr","unique_id":"1796662289.7","originated_call_id":"orig.call.1796662289.3","disposition":"ANSWERED","src":"101","dst":"102"}"#
                    .utf8)
            #expect(try await TestHTTP.send(url, headers: TestHTTP.json, body: cdr) == 200)
            let newState = Array(
                #"{"event_name":"NewState","unique_id":"1796662289.7","state":"InUse","exten":"101"}"#.utf8)
            #expect(try await TestHTTP.send(url, headers: TestHTTP.json, body: newState) == 200)

            let search = run("events search --name Ping", home: home)
            #expect(search.status == 0, "\(search.err)")
            #expect(search.out.components(separatedBy: "<-- Ping").count == 4, "\(search.out)")
            let json = run("events search --name Ping --last 1 --output json", home: home)
            #expect(json.out.contains(#""type":"event""#) && json.out.contains(#""i":"2""#), "\(json.out)")
            // The call is found by either id, and its NewState (which has only unique_id) with it.
            let trace = run("calls trace orig.call.1796662289.3", home: home)
            #expect(trace.status == 0, "\(trace.err)")
            #expect(trace.out.contains("Cdr") && trace.out.contains("NewState"), "\(trace.out)")
            let calls = run("calls --output json", home: home)
            #expect(
                calls.out.contains(#""type":"call""#) && calls.out.contains(#""outcome":"ANSWERED""#), "\(calls.out)")
            let none = run("calls trace nosuchcall", home: home)
            #expect(none.status == 1 && none.err.contains("no records of a call 'nosuchcall'"), "\(none.err)")
        }

        /// kill -9 of the listener loses no event it answered 200.
        @Test func killNineLosesNoEventAnswered200() async throws {
            let home = TempDir()
            let (listener, port) = try ListenerMemoryTests().startListener("", home: home)
            let url = "http://127.0.0.1:\(port)/"
            let statuses = try await TestHTTP.sendPings(0..<40, to: url)
            kill(listener.pid, SIGKILL)
            _ = listener.wait(timeout: 10)
            let answered = statuses.filter { $0 == 200 }.count
            let found = run("events search --name Ping --last 1000 --output json", home: home)
            #expect(found.status == 0, "\(found.err)")
            #expect(found.out.split(separator: "\n").count == answered, "\(found.out)")
        }

        @Test func twoListenersOnOneStoreLoseNothing() async throws {
            let home = TempDir()
            let (a, portA) = try ListenerMemoryTests().startListener("", home: home)
            defer { a.stop() }
            let (b, portB) = try ListenerMemoryTests().startListener("", home: home)
            defer { b.stop() }
            async let sentA = TestHTTP.sendPings(0..<60, to: "http://127.0.0.1:\(portA)/")
            async let sentB = TestHTTP.sendPings(100..<160, to: "http://127.0.0.1:\(portB)/")
            let answered = try await (sentA + sentB).filter { $0 == 200 }.count
            #expect(answered == 120)
            let found = run("events search --name Ping --last 1000 --output json", home: home)
            #expect(found.out.split(separator: "\n").count == answered, "\(found.err)")
        }

        /// `originate` in the demo, then `calls trace $call`: the request, the call's events and
        /// the Cdr, in order; `--html` writes one page with an SVG diagram.
        @Test func anOriginatedCallIsTracedFromRequestToCdr() throws {
            let home = TempDir()
            let page = home.file("call.html")
            let script = """
                originate caller=101 callee=102 context=main_routing caller_id=101
                wait event Cdr --where originated_call_id=$call --timeout 20s
                calls trace $call
                calls trace $call --html \(page) --output json
                """
            let r = run(script, home: home, ["--demo"])
            #expect(r.status == 0, "\(r.err)\n\(r.out)")
            // The timeline, after its header (wait event printed the Cdr before it).
            let all = r.out.split(separator: "\n").map(String.init)
            let header = try #require(all.firstIndex { $0.hasPrefix("call orig.call.") }, "\(r.out)")
            let lines = Array(all[header...])
            let request = try #require(lines.firstIndex { $0.contains("--> POST call/originate/act") }, "\(r.out)")
            let newState = try #require(lines.firstIndex { $0.contains("<-- NewState") }, "\(r.out)")
            let cdr = try #require(lines.firstIndex { $0.contains("<-- Cdr") }, "\(r.out)")
            #expect(request < newState && newState < cdr, "\(r.out)")
            #expect(r.out.contains(#""type":"trace""#) && r.out.contains(#""kind":"request""#), "\(r.out)")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            // Parsed as a browser would: an svg element with lines, a row per entry, no script.
            let parsed = try ChildProcess("python3", ["-c", SpawningTests.SafetyGapsTests.pageParser, page])
            #expect(parsed.wait(timeout: 30) == 0, "\(parsed.stderr)")
            let tags = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any]
            let names = tags?["tags"] as? [String] ?? []
            #expect(names.contains("svg") && names.contains("line") && names.contains("tr"), "\(names)")
            #expect(!names.contains("script") && !names.contains("img"), "\(names)")
            #expect(html.contains("call/originate/act"))
        }

        @Test func aOneShotWithNeitherListenerNorStoreOpensNothing() {
            let home = TempDir()
            let r = run("echo hi", home: home, ["--demo"])
            #expect(r.status == 0)
            // --demo runs a listener: it stores. A plain one-shot with no listener opens nothing.
            let plain = TempDir()
            let p = run("echo hi", home: plain)
            #expect(p.status == 0)
            #expect(!FileManager.default.fileExists(atPath: plain.file("state/simsh/events.db")))
            let off = TempDir()
            let o = run("listen events --port 0", home: off, ["--no-store"])
            #expect(o.status == 0, "\(o.err)")
            #expect(!FileManager.default.fileExists(atPath: off.file("state/simsh/events.db")))
        }
    }
}
