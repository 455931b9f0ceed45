import Foundation
import HTTPServerKit
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

/// The listener's memory under a flood, measured on the real binary (issue 7, points 6 and 7).
@Suite(.serialized) struct ListenerMemoryTests {
    /// `simsh -c 'listen events …; sleep 120'` and its port.
    func startListener(_ options: String, home: TempDir) throws -> (ChildProcess, Int) {
        let child = try startSimsh(["-c", "listen events --port 0 \(options); sleep 120"], home: home)
        guard let url = child.waitForListenerURL(),
            let port = Int(url.split(separator: ":").last!)
        else {
            child.stop()
            throw SpawnError(message: "no listener address: \(child.stdout) \(child.stderr)")
        }
        return (child, port)
    }

    @Test func aClientThatPipelinesAndNeverReadsCannotGrowTheListener() throws {
        let home = TempDir()
        let (child, port) = try startListener("", home: home)
        defer { child.stop() }
        let before = try #require(child.residentBytes)
        let request = Array(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n{\"event_name\":\"Ping\"}"
                .utf8)
        let batch = Array((0..<500).map { _ in request }.joined())
        let flood = try RawConnection(port: port, receiveBuffer: 8192)
        // Pipeline for up to 20 s, never reading an answer. With backpressure the listener stops
        // reading once its answers back up, and the sends stall completely; without it, it reads
        // (and queues answers) for as long as the client sends.
        var sent = 0
        var stalled = false
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !stalled {
            let n = flood.sendWithin(batch, seconds: 2)
            sent += n
            stalled = n == 0
        }
        let after = try #require(child.residentBytes)
        let growth = after - before
        print("pipelining without reading: sent \(sent >> 10) KiB, RSS \(before >> 20) -> \(after >> 20) MiB")
        #expect(growth < 100 << 20, "grew by \(growth >> 20) MiB")
        _ = stalled  // how soon it stalls depends on the machine's load; the in-process test checks it
    }

    @Test func manyLargeEventsAreBoundedByKeepBytes() async throws {
        let home = TempDir()
        let (child, port) = try startListener("--keep-bytes 16MiB", home: home)
        defer { child.stop() }
        let before = try #require(child.residentBytes)
        let filler = String(repeating: "x", count: 1_000_000)
        for i in 0..<120 {
            let body = Array(#"{"event_name":"Cdr","i":"\#(i)","blob":"\#(filler)"}"#.utf8)
            let status = try await TestHTTP.send(
                "http://127.0.0.1:\(port)/", headers: [("Content-Type", "application/json")], body: body)
            #expect(status == 200)
        }
        let after = try #require(child.residentBytes)
        print("120 events of 1 MB, --keep-bytes 16MiB: RSS \(before >> 20) -> \(after >> 20) MiB")
        #expect(after - before < 100 << 20, "grew by \((after - before) >> 20) MiB")
    }
}
