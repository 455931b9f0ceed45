import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshRuntime

/// What trying issue 23's features as a careless or hostile user found, kept fixed.
@Suite(.timeLimit(.minutes(2))) struct ProbeFindingsTests {
    /// `user:password@` in a receiver's URL is sent as Basic credentials and never shown.
    @Test func credentialsInAReceiversURLAreSentAndNeverShown() async throws {
        let receiver = RecordingServer()
        let base = try await receiver.start()
        let withSecret = base.replacingOccurrences(of: "http://", with: "http://hook:Url-Secret-5@")
        let t = TestSession()
        #expect(await t.run("simulate event Ping --to \(withSecret)/hook") == 0, "\(t.sink.all)")
        let expected = "Basic " + Data("hook:Url-Secret-5".utf8).base64EncodedString()
        #expect(receiver.requests.last?.header("Authorization") == expected)
        _ = await t.run("component call exten \(withSecret)/exten src=1 --timeout 20s")
        #expect(receiver.requests.last?.header("Authorization") == expected)
        #expect(await t.run("listen events --port 0 --forward-to \(withSecret)/fwd") == 0, "\(t.sink.all)")
        #expect(await t.run("simulate event Ping\nlisten status") == 0, "\(t.sink.all)")
        let deadline = ContinuousClock.now + .seconds(20)
        while receiver.requests.last?.uri != "/fwd", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(receiver.requests.last?.header("Authorization") == expected)
        #expect(!t.sink.all.contains("Url-Secret-5"), "\(t.sink.all)")
        #expect(await t.run("events resend 1 --to ftp://x/") == 2)
        await t.session.close()
        await receiver.server.stop()
    }

    /// A failure of a command that chose `--output json` is a JSON object too; a mistyped
    /// `--output` is pointed at `--output`; listen events with options while one runs is refused.
    @Test func trailingOutputJSONFailuresAndHints() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        #expect(await t.run("users remove _id=000000000000000000000000 --yes --output json") == 4, "\(t.sink.all)")
        let last = try #require(t.sink.standardOutput.split(separator: "\n").last)
        let error = try JSONValue.parse(String(last))
        #expect(error["type"]?.stringValue == "error" && error["exit_status"]?.intValue == 4, "\(last)")
        #expect(t.session.outputMode == .auto)
        #expect(await t.run("users search --outpt json") == 2)
        #expect(t.sink.standardError.contains("unknown option '--outpt'; did you mean '--output MODE'?"))
        #expect(!t.sink.standardError.contains("'--out'"), "\(t.sink.standardError)")
        #expect(await t.run("listen events --log \(t.dir.file("e.jsonl"))") == 2)
        #expect(t.sink.standardError.contains("listen stop first to listen with --log"), "\(t.sink.standardError)")
        #expect(await t.run("listen events") == 0)
        await t.session.close()
    }

    /// A path's control characters cannot start a line of their own; a body refused with 413 is
    /// one rejection even when the client stops sending it.
    @Test func rejectionLinesAreOneLineEachAndCountedOnce() async throws {
        let t = TestSession()
        #expect(await t.run("listen events --port 0") == 0)
        let listener = try #require(t.session.listener)
        let connection = try RawConnection(port: listener.port!)
        _ = connection.send("GET /a%0aFAKE%0d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        _ = await connection.readUntilClosedOffThePool()
        let line = try await RejectionLinesTests.waitForLine(t, containing: "%0AFAKE%0D")
        #expect(line != nil, "\(t.sink.standardError)")
        #expect(!t.sink.standardError.split(separator: "\n").contains { $0.hasPrefix("FAKE") })
        let big = try RawConnection(port: listener.port!)
        _ = big.send(
            "POST /Cdr HTTP/1.1\r\nHost: x\r\nContent-Length: 40000000\r\n\r\n" + String(repeating: "x", count: 4096))
        _ = try await RejectionLinesTests.waitForLine(t, containing: "413")
        withExtendedLifetime(big) {}
        let deadline = ContinuousClock.now + .seconds(5)
        while listener.rejected < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(listener.rejected == 2, "\(t.sink.standardError)")
        await t.session.close()
    }

    @Test func smallerThings() async throws {
        let t = TestSession()
        #expect(await t.run("smart check \"SayDate('1395-13-45','jalali')\"") == 1)
        #expect(t.sink.all.contains("SayDate('1395-13-45','jalali'): month 13 is not 1–12, day 45 is not 1–31"))
        #expect(await t.run("component call ivr http://127.0.0.1:\(closedPort())/ nosuch=1") == 2)
        #expect(t.sink.standardError.contains("to an IVR API"), "\(t.sink.standardError)")
        try await t.session.startDemo()
        #expect(await t.run("users search") == 0)
        let engine = CompletionEngine(profileNames: { [] }, variableValue: { t.session.value(path: $0) })
        let r = engine.complete("expect $response.data[0].na")
        #expect(r.candidates.filter { $0.hasPrefix(r.word) }.contains("$response.data[0].name"), "\(r)")
        await t.session.close()
    }
}
