import AsyncHTTPClient
import Foundation
import HTTPServerKit
import NIOCore
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

/// The webhook listener against every documented event and delivery variant (webhooks.md §2–5).
@Suite struct ListenerTests {
    @Test(arguments: WebhookSender.Variant.allCases)
    func everyDocumentedEventInEveryVariant(variant: WebhookSender.Variant) async throws {
        try await withListener { (listener: WebhookListener) async throws in
            for kind in EventCatalog.all {
                let r = try await WebhookSender().send(
                    kind.sample, eventName: kind.name, to: listener.url, variant: variant)
                #expect(r.status == 200, "\(kind.name) \(variant)")
            }
            let events = listener.store.all
            #expect(events.map(\.name) == EventCatalog.all.map(\.name))
            for (event, kind) in zip(events, EventCatalog.all) {
                let expected: String
                switch variant {
                case .g4: expected = "G4/POST"
                case .rest4: expected = "Rest4/POST"
                case .get: expected = "G4/GET"
                case .form: expected = "G3/POST-form"
                }
                #expect(event.variant == expected, "\(kind.name)")
                // Every scalar field of the sample arrives with its value (as text in GET and form).
                guard case .object(let pairs) = kind.sample else { continue }
                for (key, value) in pairs {
                    switch value {
                    case .object, .array:
                        #expect(event.payload[key] != nil, "\(kind.name).\(key)")
                    default:
                        #expect(event.payload[key]?.displayText == value.displayText, "\(kind.name).\(key) \(variant)")
                    }
                }
                if variant == .g4 || variant == .rest4 { #expect(event.payload == kind.sample, "\(kind.name)") }
            }
        }
    }

    /// The four curl examples of webhooks.md §2.3, run with curl itself, each record one NewState.
    @Test func theFourDocumentedCurlExamples() async throws {
        // The docs' API address is http://192.168.51.193/call/: a listener with --path /call.
        try await withListener(ListenerConfiguration(path: "/call")) { (listener: WebhookListener) async throws in
            let base = String(listener.url.dropLast("call/".count))
            let json = #"{"event_name":"NewState","exten":"991","state":"Unavailable"}"#
            let commands: [[String]] = [
                ["-u", "username:password", base + "call/?event_name=NewState&exten=991&state=Unavailable"],
                [
                    "-u", "username:password", "-X", "POST", "-H", "Content-Type: application/json", "-d", json,
                    base + "call/",
                ],
                ["-u", "username:password", base + "call/NewState?event_name=NewState&exten=991&state=Unavailable"],
                [
                    "-u", "username:password", "-X", "POST", "-H", "Content-Type: application/json", "-d", json,
                    base + "call/NewState",
                ],
            ]
            for args in commands {
                let curl = try ChildProcess("curl", ["-s", "-f", "-o", "/dev/null"] + args)
                curl.closeStdin()
                #expect(curl.wait(timeout: 30) == 0, "\(args)")
            }
            let events = listener.store.all
            #expect(events.count == 4)
            #expect(
                events.allSatisfy {
                    $0.name == "NewState" && $0.matches("exten", "991") && $0.matches("state", "Unavailable")
                })
            #expect(events.map(\.variant) == ["G4/GET", "G4/POST", "Rest4/GET", "Rest4/POST"])
        }
    }

    @Test func documentedQuirks() async throws {
        try await withListener(ListenerConfiguration(path: "/call")) { (listener: WebhookListener) async throws in
            let json = [("Content-Type", "application/json")]
            // Rest suffix matched case-insensitively (the docs write /newstate and /NewState).
            #expect(try await TestHTTP.send(listener.url + "newstate?exten=5&state=Idle", method: "GET") == 200)
            // AutoDialerReport with no name: from the Rest path, or recognised by its fields.
            let adr = Array(
                #"{"campaign_id":"63e24b3e3ba6c708b7612152","campaign":"c","number":"0915","disposition":"ANSWERED","try":1,"tries":[]}"#
                    .utf8)
            #expect(try await TestHTTP.send(listener.url + "AutoDialerReport", headers: json, body: adr) == 200)
            #expect(try await TestHTTP.send(listener.url, headers: json, body: adr) == 200)
            // Survey names itself with `event`; `cuid` and `unique_id` are one field.
            #expect(
                try await TestHTTP.send(
                    listener.url, headers: json, body: Array(#"{"event":"Survey","cuid":"1.2","point":"5"}"#.utf8))
                    == 200)
            // v2/v3: POST with the fields as query parameters and no body.
            #expect(try await TestHTTP.send(listener.url + "?event_name=Cdr&billsec=9&unique_id=7.7") == 200)
            let e = listener.store.all
            #expect(e.map(\.name) == ["NewState", "AutoDialerReport", "AutoDialerReport", "Survey", "Cdr"])
            #expect(e.map(\.variant) == ["Rest4/GET", "Rest4/POST", "G4/POST", "G4/POST", "G3/POST-query"])
            #expect(e[3].matches("unique_id", "1.2"))
            #expect(e[3].matches("point", "5"))
            #expect(e[4].matches("billsec", "9"))
            // Outside the prefix: 404.
            #expect(
                try await TestHTTP.send(listener.url.replacingOccurrences(of: "/call/", with: "/other"), method: "GET")
                    == 404)
        }
    }

    @Test func credentialsAreRequiredWhenConfigured() async throws {
        try await withListener(ListenerConfiguration(basicAuth: ("hook", "s3cret"))) {
            (listener: WebhookListener) async throws in
            let body = Array(#"{"event_name":"Ping"}"#.utf8)
            let json = ("Content-Type", "application/json")
            let good = "Basic " + Data("hook:s3cret".utf8).base64EncodedString()
            let bad = "Basic " + Data("hook:nope".utf8).base64EncodedString()
            #expect(try await TestHTTP.send(listener.url, headers: [json], body: body) == 401)
            #expect(try await TestHTTP.send(listener.url, headers: [json, ("Authorization", bad)], body: body) == 401)
            #expect(try await TestHTTP.send(listener.url, headers: [json, ("Authorization", good)], body: body) == 200)
            #expect(listener.store.all.count == 1)
            #expect(listener.rejected == 2)
        }
    }

    @Test func badRequestsAreRejectedAndGoodOnesStillRecorded() async throws {
        var config = ListenerConfiguration()
        config.limits = ServerLimits(maxBodyBytes: 1 << 20, idleTimeoutSeconds: 2)
        try await withListener(config) { (listener: WebhookListener) async throws in
            let json = [("Content-Type", "application/json")]
            let good = Array(#"{"event_name":"NewState","exten":"1"}"#.utf8)
            #expect(
                try await TestHTTP.send(listener.url, headers: json, body: Array(repeating: 0x61, count: (1 << 20) + 1))
                    == 413)
            #expect(try await TestHTTP.send(listener.url, headers: json, body: Array("{not json".utf8)) == 400)
            #expect(try await TestHTTP.send(listener.url, headers: json, body: [0x22, 0xFF, 0xFE, 0x22]) == 400)
            #expect(try await TestHTTP.send(listener.url, headers: json, body: Array("[1,2]".utf8)) == 400)
            #expect(try await TestHTTP.send(listener.url, method: "DELETE") == 405)
            // A client that stalls half-way is cut off without disturbing the others.
            let stalled = try RawConnection(port: listener.port!)
            stalled.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"event_")
            #expect(try await TestHTTP.send(listener.url, headers: json, body: good) == 200)
            #expect(stalled.isClosedByServer(within: 20))  // idle timeout 2 s
            #expect(try await TestHTTP.send(listener.url, headers: json, body: good) == 200)
            #expect(listener.store.all.count == 2)
            #expect(listener.rejected == 6)  // 413, three 400s, 405, and the stalled one (408)
        }
    }

    @Test func aMalformedRequestIsAnswered400AfterTheAnswersBeforeIt() async throws {
        try await withListener(ListenerConfiguration()) { (listener: WebhookListener) async throws in
            let event = #"{"event_name":"NewState","exten":"1"}"#
            let valid =
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(event.utf8.count)\r\n\r\n\(event)"
            // Pipelined in one write: the valid event, then a request line no parser accepts.
            let both = try RawConnection(port: listener.port!)
            both.send(valid + valid + "NOT HTTP AT ALL\r\n\r\n")
            let answers = both.readUntilClosed()
            // Each answer's status line (a body "ok\n" runs into the next answer's head).
            let statuses = answers.components(separatedBy: "HTTP/1.1 ").dropFirst().map {
                "HTTP/1.1 " + ($0.components(separatedBy: "\r\n").first ?? "")
            }
            #expect(statuses == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"], "\(answers)")
            #expect(listener.store.all.count == 2)
            // Alone, it is answered at once and the connection closed.
            let alone = try RawConnection(port: listener.port!)
            alone.send("GET /\u{1}\r\n\r\n")
            #expect(alone.readUntilClosed().hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(
                try await TestHTTP.send(
                    listener.url, headers: [("Content-Type", "application/json")], body: Array(event.utf8)) == 200)
        }
    }

    @Test func everyEventIsLoggedBeforeItIsAnswered() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            for i in 1...20 {
                _ = try await WebhookSender().send(
                    EventCatalog.kind(named: "Cdr")!.sample.setting("unique_id", to: .string("u\(i)")),
                    eventName: "Cdr",
                    to: listener.url)
                let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
                #expect(lines.count == i)
            }
            let text = try String(contentsOfFile: log, encoding: .utf8)
            let last = try JSONValue.parse(String(text.split(separator: "\n").last!))
            #expect(last["name"] == .string("Cdr"))
            #expect(last["variant"] == .string("G4/POST"))
            #expect(last["payload"]?["unique_id"] == .string("u20"))
            #expect(last["seq"] == .number(20))
        }
    }

    @Test func storeIsBounded() async throws {
        try await withListener(ListenerConfiguration(keep: 3)) { (listener: WebhookListener) async throws in
            for i in 1...5 {
                _ = try await WebhookSender().send(
                    .object([("event_name", .string("Ping")), ("i", .string("\(i)"))]), eventName: "Ping",
                    to: listener.url)
            }
            #expect(listener.store.all.map(\.sequence) == [3, 4, 5])
            #expect(listener.store.countsByName["Ping"] == 5)
        }
    }

    @Test func forwardsWithMethodPathQueryBodyAndHeaders() async throws {
        let app = RecordingServer()
        let appURL = try await app.start()
        let lines = LineCollector()
        var config = ListenerConfiguration(forwardTo: appURL + "/hooks", forwardHeaders: [("X-Test", "yes")])
        config.path = "/"
        let listener = WebhookListener(configuration: config)
        listener.onForward = { lines.add($0) }
        try await listener.start()
        #expect(
            try await TestHTTP.send(
                listener.url + "NewState?exten=991", headers: [("Content-Type", "application/json")],
                body: Array(#"{"event_name":"NewState","state":"Idle"}"#.utf8)) == 200)
        for _ in 0..<200 where lines.all.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        await listener.stop()
        await app.server.stop()
        let r = try #require(app.requests.first)
        #expect(r.method == "POST")
        #expect(r.uri == "/hooks/NewState?exten=991")
        #expect(r.header("Content-Type") == "application/json")
        #expect(r.header("X-Test") == "yes")
        #expect(String(decoding: r.body, as: UTF8.self) == #"{"event_name":"NewState","state":"Idle"}"#)
        #expect(lines.all.first?.hasPrefix("--> [200] POST \(appURL)/hooks/NewState?exten=991 (") == true)
    }

    @Test func aFailingForwardIsReportedAndTheListenerGoesOn() async throws {
        let lines = LineCollector()
        let listener = WebhookListener(
            configuration: ListenerConfiguration(forwardTo: "http://127.0.0.1:\(closedPort())"))
        listener.onForward = { lines.add($0) }
        try await listener.start()
        for _ in 0..<3 {
            _ = try await WebhookSender().send(
                .object([("event_name", .string("Ping"))]), eventName: "Ping", to: listener.url)
        }
        for _ in 0..<300 where lines.all.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        await listener.stop()
        #expect(listener.store.all.count == 3)
        #expect(lines.all.count == 3)
        #expect(lines.all.allSatisfy { $0.contains("[failed]") })
    }
}
