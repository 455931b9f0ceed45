import Foundation
import HTTPServerKit
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

@testable import SimshCommands

/// Never refuse an event Simotel documents (issue 21, point 1): the samples its docs print that are
/// not RFC 8259 JSON (Fixtures/samples, verbatim) are accepted leniently, logged as the JSON they
/// mean with a "lenient" note, and refused with --strict; what is unreadable stays 400.
@Suite struct LenientBodyTests {
    /// The documented samples that are not JSON, and what each is.
    static let samples: [(event: String, quirk: LenientJSON.Quirk)] = [
        ("IncomingCall", .leadingZeroNumber), ("OutgoingFax", .pythonLiteral), ("Survey", .pythonLiteral),
        ("AutoDialerReport", .pythonLiteral),
    ]

    static func sample(_ event: String) throws -> [UInt8] {
        Array(
            try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/SimshTests/Fixtures/samples/\(event).txt")))
    }

    static let json = [("Content-Type", "application/json")]

    // MARK: The normaliser

    static func normalized(_ text: String) -> (json: JSONValue?, text: String, quirk: LenientJSON.Quirk)? {
        guard let r = LenientJSON.normalize(Array(text.utf8)) else { return nil }
        return (try? JSONValue.parse(r.bytes), String(decoding: r.bytes, as: UTF8.self), r.quirk)
    }

    @Test func theSamplesAreNotJSONAndReadAsTheCatalogsSamples() throws {
        for (event, quirk) in Self.samples {
            let body = try Self.sample(event)
            #expect((try? JSONValue.parse(body)) == nil, "\(event) is JSON: the fixture is not the docs' text")
            let r = try #require(LenientJSON.normalize(body), "\(event)")
            #expect(r.quirk == quirk, "\(event)")
            #expect(try JSONValue.parse(r.bytes) == EventCatalog.kind(named: event)?.sample, "\(event)")
        }
    }

    @Test func pythonLiteralsWithEscapesQuotesAndNesting() throws {
        let literal =
            #"{'a': 'it\'s', 'b': 'say "hi"', 'c': None, "#
            + #"'d': [True, False, {'e': u'x', 'f': {'g': []}}], 'h': 'tab\there\\'}"#
        let r = try #require(Self.normalized(literal))
        #expect(r.quirk == .pythonLiteral)
        #expect(r.text.contains(#""say \"hi\"""#), "\(r.text)")  // a double quote in a single-quoted string is escaped
        #expect(
            r.json
                == .object([
                    ("a", .string("it's")), ("b", .string(#"say "hi""#)), ("c", .null),
                    (
                        "d",
                        .array([
                            .bool(true), .bool(false),
                            .object([("e", .string("x")), ("f", .object([("g", .array([]))]))]),
                        ])
                    ),
                    ("h", .string("tab\there\\")),
                ]), "\(r.text)")
        // Python's other escapes: \x, \u, \U (beyond the BMP), octal, and an unknown one kept as written.
        let escapes = try #require(Self.normalized(#"{'s': '\x41\u00e9\U0001F600\0\q'}"#))
        #expect(escapes.json == .object([("s", .string("A\u{e9}\u{1F600}\u{0}\\q"))]), "\(escapes.text)")
        // A raw tab in a single-quoted string is escaped in the JSON written.
        #expect(Self.normalized("{'t': 'a\tb'}")?.json == .object([("t", .string("a\tb"))]))
        // With leading-zero numbers in it too, it is a Python literal.
        #expect(Self.normalized("{'n': 0123}")?.quirk == .pythonLiteral)
        // Python 2 writes u"…" for text holding a single quote.
        #expect(Self.normalized(#"{u'name': u"O'Brien"}"#)?.json == .object([("name", .string("O'Brien"))]))
    }

    @Test func onlyBareLeadingZeroIntegersBecomeStrings() throws {
        let r = try #require(
            Self.normalized(
                #"{"phone": 09331112233, "zero": 0, "half": 0.5, "quarter": 0.25, "neg": -5, "e": 1e3, "a": [00, 01]}"#)
        )
        #expect(r.quirk == .leadingZeroNumber)
        #expect(
            r.json
                == .object([
                    ("phone", .string("09331112233")), ("zero", .number(0)), ("half", .number(0.5)),
                    ("quarter", .number(0.25)), ("neg", .number(-5)), ("e", .number(1000)),
                    ("a", .array([.string("00"), .string("01")])),
                ]), "\(r.text)")
        // A leading zero with a fraction or a sign is not a phone number: rewritten as it is, still not JSON.
        #expect(Self.normalized(#"{"n": 01.5}"#) == nil)
        #expect(Self.normalized(#"{"n": -012}"#) == nil)
    }

    @Test func doubleQuotedStringsAreNeverTouched() throws {
        // A single quote, None, True and a leading-zero number inside a JSON string are text.
        let text = #"{"a": "it's None, 'True' and 0123", "b": "\"quoted\" \\ 'x'", "n": 0123}"#
        let r = try #require(Self.normalized(text))
        #expect(r.quirk == .leadingZeroNumber)
        #expect(r.text == #"{"a": "it's None, 'True' and 0123", "b": "\"quoted\" \\ 'x'", "n": "0123"}"#)
        // JSON already: nothing to rewrite.
        #expect(Self.normalized(#"{"a": "it's None", "b": [true, null, 0, 0.25]}"#) == nil)
    }

    @Test func garbageIsNotRewritten() {
        for text in ["not json", "{'a': 'unterminated}", #"{"a": "unterminated}"#, "{'a': '\\x4'}", "{'a': '\\"] {
            #expect(Self.normalized(text) == nil, "\(text)")
        }
        // Rewritten, but still not JSON: the listener answers 400.
        let stillBad = Self.normalized("{'a': 1,, None}")
        #expect(stillBad != nil && stillBad?.json == nil)
    }

    // MARK: The listener

    @Test func theDocumentedSamplesAreAnswered200AndLoggedAsTheJSONTheyMean() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        let warnings = LineCollector()
        let listener = WebhookListener(configuration: ListenerConfiguration(logFile: log))
        listener.onWarning = { warnings.add($0) }
        try await listener.start()
        do {
            for (event, _) in Self.samples {
                // As the docs print them: the G address, and the Rest one.
                #expect(try await TestHTTP.send(listener.url, headers: Self.json, body: Self.sample(event)) == 200)
                #expect(
                    try await TestHTTP.send(listener.url + event, headers: Self.json, body: Self.sample(event))
                        == 200)
            }
            // On one line, the body is not copied into the log as it came: the log stays JSON.
            let oneLine = Array(#"{"event_name":"IncomingCall","number":09331112233,"unique_id":"1.2"}"#.utf8)
            #expect(try await TestHTTP.send(listener.url, headers: Self.json, body: oneLine) == 200)
        } catch {
            await listener.stop()
            throw error
        }
        await listener.stop()

        let events = listener.store.all
        #expect(events.map(\.name) == Self.samples.flatMap { [$0.event, $0.event] } + ["IncomingCall"])
        for (event, (name, quirk)) in zip(events, Self.samples.flatMap { [$0, $0] }) {
            #expect(event.lenient == quirk, "\(name)")
            #expect(event.payload == EventCatalog.kind(named: name)?.sample, "\(name)")
            #expect(event.variant.hasSuffix("4/POST"), "\(name)")
        }
        #expect(events[0].field("number") == .string("09331112233"))
        #expect(events[0].matches("number", "09331112233"))
        #expect(events.last?.field("number") == .string("09331112233"))
        // The body is kept as it came (forwarding and events resend send it on unchanged).
        let incomingCall = try Self.sample("IncomingCall")
        #expect(events[0].body == incomingCall)

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == events.count)
        for (line, event) in zip(lines, events) {
            let record = try JSONValue.parse(String(line))
            #expect(record["name"] == .string(event.name))
            #expect(record["lenient"] == .string(event.lenient?.rawValue ?? "?"), "\(line)")
            #expect(record["payload"] == event.payload, "\(line)")
        }
        #expect(try JSONValue.parse(String(lines[0]))["payload"]?["number"] == .string("09331112233"))
        #expect(try JSONValue.parse(String(lines.last!))["payload"]?["number"] == .string("09331112233"))
        // Numbers stay numbers: only a bare leading-zero one is a string.
        #expect(try JSONValue.parse(String(lines[6]))["payload"]?["try"] == .number(1))
        #expect(events[5].json["lenient"] == .string("python literal"))

        #expect(listener.acceptedLeniently == [.leadingZeroNumber: 3, .pythonLiteral: 6])
        #expect(listener.rejected == 0)
        // One warning per kind of body, not one per event.
        #expect(warnings.all.count == 2, "\(warnings.all)")
        #expect(warnings.all.first?.hasPrefix("IncomingCall accepted leniently: ") == true, "\(warnings.all)")
        #expect(warnings.all.last?.hasPrefix("OutgoingFax accepted leniently: ") == true, "\(warnings.all)")
    }

    @Test func aStrictListenerAnswers400AndRecordsNothing() async throws {
        try await withListener(ListenerConfiguration(strict: true)) { (listener: WebhookListener) async throws in
            for (event, _) in Self.samples {
                #expect(try await TestHTTP.send(listener.url, headers: Self.json, body: Self.sample(event)) == 400)
            }
            // JSON is still JSON.
            let good = Array(#"{"event_name":"IncomingCall","number":"09331112233"}"#.utf8)
            #expect(try await TestHTTP.send(listener.url, headers: Self.json, body: good) == 200)
            #expect(listener.store.all.map(\.name) == ["IncomingCall"])
            #expect(listener.store.all.first?.lenient == nil)
            #expect(listener.rejected == Self.samples.count)
            #expect(listener.acceptedLeniently.isEmpty)
        }
    }

    @Test func whatIsUnreadableStays400AndJSONStringsAreUntouched() async throws {
        let dir = TempDir()
        let log = dir.file("events.jsonl")
        try await withListener(ListenerConfiguration(logFile: log)) { (listener: WebhookListener) async throws in
            for garbage in [
                "{not json", "{'a': }", "{'a': 'x'", #"{"n": 01.5}"#, "{'a': 1,, None}", "['a', None]",
                "{event_name: 'Ping'}",
            ] {
                #expect(
                    try await TestHTTP.send(listener.url, headers: Self.json, body: Array(garbage.utf8)) == 400,
                    "\(garbage)")
            }
            #expect(
                try await TestHTTP.send(listener.url, headers: Self.json, body: [0x7B, 0x27, 0xFF, 0x27, 0x7D])
                    == 400)
            #expect(listener.store.all.isEmpty)
            // A quote or None inside a JSON string: JSON, read strictly, logged as it came.
            let body = #"{"event_name":"Ping","note":"it's None, 'True'"}"#
            #expect(try await TestHTTP.send(listener.url, headers: Self.json, body: Array(body.utf8)) == 200)
            let event = try #require(listener.store.all.first)
            #expect(event.lenient == nil)
            #expect(event.field("note") == .string("it's None, 'True'"))
            let line = try String(contentsOfFile: log, encoding: .utf8)
            #expect(line.hasSuffix(#","name":"Ping","payload":"# + body + "}\n"), "\(line)")
            #expect(listener.acceptedLeniently.isEmpty)
        }
    }

    // MARK: Field aliases

    @Test func bothSpellingsOfAFieldAreUnderstood() async throws {
        let payload = JSONValue.object([
            ("cuid", .string("1.2")), ("start_time", .string("s")), ("endtime", .string("e")),
            ("dialing", .string("yes")), ("poll_lable", .string("mypoll")), ("transferer", .string("993")),
        ])
        for (a, b, value) in [
            ("unique_id", "cuid", "1.2"), ("starttime", "start_time", "s"), ("end_time", "endtime", "e"),
            ("dialer", "dialing", "yes"), ("poll_label", "poll_lable", "mypoll"), ("transfer", "transferer", "993"),
        ] {
            #expect(FieldAliases.value(a, in: payload) == .string(value), "\(a)")
            #expect(FieldAliases.value(b, in: payload) == .string(value), "\(b)")
            #expect(FieldAliases.others(of: a).contains(b) && FieldAliases.others(of: b).contains(a))
        }
        #expect(FieldAliases.value("exten", in: payload) == nil)
        #expect(FieldAliases.others(of: "exten").isEmpty)
        // The same name as sent wins over its other spelling.
        let both = JSONValue.object([("dialer", .string("no")), ("dialing", .string("yes"))])
        #expect(FieldAliases.value("dialer", in: both) == .string("no"))
        #expect(FieldAliases.value("dialing", in: both) == .string("yes"))

        // In the shell: --where and $event, whichever spelling was sent.
        let t = TestSession()
        #expect(await t.run("listen events") == 0)
        let url = try #require(t.session.listener?.url)
        let state = #"{"event_name":"NewState","exten":"991","state":"InUse","dialing":"yes","cuid":"7.7"}"#
        let cdr = #"{'event_name': 'Cdr', 'starttime': '2021-01-16 06:30:37', 'poll_lable': 'mypoll', 'billsec': 9}"#
        // Each posted before the wait for it: a wait sees events from the start of the previous command.
        #expect(try await TestHTTP.send(url + "NewState", headers: Self.json, body: Array(state.utf8)) == 200)
        let waitState = """
            wait event NewState --where dialer=yes --timeout 5s
            expect $event.dialer == "yes" and $event.unique_id == "7.7"
            """
        #expect(await t.run(waitState) == 0, "\(t.sink.all)")
        #expect(try await TestHTTP.send(url, headers: Self.json, body: Array(cdr.utf8)) == 200)
        let waitCdr = """
            wait event Cdr --where poll_label=mypoll --timeout 5s
            expect $event.poll_label == "mypoll" and $event.start_time == "2021-01-16 06:30:37"
            """
        #expect(await t.run(waitCdr) == 0, "\(t.sink.all)")
        await t.session.stopListener()
    }

    // MARK: The shell

    @Test func listenStatusCountsThemAndStrictRefusesThem() async throws {
        let t = TestSession()
        #expect(await t.run("listen events") == 0)
        let url = try #require(t.session.listener?.url)
        for (event, _) in Self.samples {
            #expect(try await TestHTTP.send(url, headers: Self.json, body: Self.sample(event)) == 200)
        }
        #expect(await t.run("wait event IncomingCall --where number=09331112233 --timeout 5s") == 0, "\(t.sink.all)")
        #expect(await t.run("listen status") == 0)
        #expect(
            t.sink.standardOutput.contains("accepted leniently  4 (1 leading-zero number, 3 python literal)"),
            "\(t.sink.standardOutput)")
        let warned = t.sink.standardError.split(separator: "\n").filter { $0.contains("accepted leniently") }
        #expect(warned.count == 2, "\(t.sink.standardError)")
        await t.session.stopListener()

        let strict = TestSession()
        #expect(await strict.run("listen events --strict") == 0)
        #expect(strict.session.listener?.configuration.strict == true)
        let strictURL = try #require(strict.session.listener?.url)
        for (event, _) in Self.samples {
            #expect(try await TestHTTP.send(strictURL, headers: Self.json, body: Self.sample(event)) == 400)
        }
        #expect(await strict.run("listen status") == 0)
        #expect(!strict.sink.standardOutput.contains("accepted leniently"))
        #expect(strict.sink.standardOutput.contains("rejected   4"), "\(strict.sink.standardOutput)")
        #expect(strict.sink.standardOutput.contains("strict     bodies that are not RFC 8259 JSON get 400"))
        await strict.session.stopListener()
    }
}
