import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshLanguage
@testable import SimshRuntime

/// API command words as documented (issue 9, points 2 and 5): did-you-mean for fields, paging
/// options only where a service pages, a whole object for a nested field.
@Suite struct APIWordsTests {
    func spec(_ words: String) throws -> EndpointSpec {
        try #require(EndpointCatalog.endpoint(words: words.split(separator: " ").map(String.init)))
    }

    @Test func aMistypedFieldGetsADidYouMean() throws {
        let request = EndpointRequest(spec: try spec("users add"))
        #expect(throws: SimshError.usage("users add: unknown field 'nmae'; did you mean 'name'?")) {
            try request.build(["number=1", "nmae=Leila", "secret=s"])
        }
        // Far from every field: the fields are listed instead.
        #expect(throws: SimshError.self) { try request.build(["zzzzzz=1"]) }
    }

    @Test func aWholeObjectForANestedField() throws {
        let request = EndpointRequest(spec: try spec("users add"))
        let body = try request.build([
            "number=1", "name=Leila", "secret=s", #"forward_policy:={"Busy":"571","No Answer":"09158315762"}"#,
        ])
        #expect(body["forward_policy"]?["Busy"] == .string("571"))
        #expect(body["forward_policy"]?["No Answer"] == .string("09158315762"))
        // Unknown keys inside are refused as unknown fields.
        #expect(throws: SimshError.self) {
            try request.build(["number=1", "name=L", "secret=s", #"forward_policy:={"Bsy":"571"}"#])
        }
        #expect(throws: SimshError.self) { try request.build(["number=1", "name=L", "secret=s", "forward_policy:=5"]) }
    }

    @Test func pagingOptionsOnlyWhereAServicePages() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        #expect(await t.run("users add number=151 name=P secret=s --start 5") == 2)
        #expect(t.sink.standardError.contains("users add: --start applies only to searches that page"))
        #expect(await t.run("autodialer groups search --count 2 --sort name:desc") == 0)
        await t.session.close()

        let engine = CompletionEngine(profileNames: { [] })
        #expect(!engine.complete("users add --").candidates.contains("--start"))
        #expect(!engine.complete("users search --").candidates.contains("--start"))
        #expect(engine.complete("autodialer groups search --").candidates.contains("--start"))
        #expect(engine.complete("users remove --").candidates.contains("--yes"))
        #expect(!engine.complete("autodialer groups search --").candidates.contains("--yes"))
    }
}

/// Resources and actions as words (issue 9, point 2).
@Suite struct ResourceWordsTests {
    @Test func aResourceAloneListsItsActionsAndAWrongActionNamesThem() async throws {
        let t = TestSession()
        #expect(await t.run("users") == 0)
        #expect(t.sink.standardOutput.contains("users: one of\n  add     Create an extension\n  search"))
        #expect(await t.run("users --help") == 0)
        #expect(await t.run("users frob") == 2)
        #expect(t.sink.standardError.contains("users: unknown action 'frob' (actions: add, search, update, remove)"))
        #expect(await t.run("users serch") == 2)
        #expect(t.sink.standardError.contains("users: unknown action 'serch'; did you mean 'search'?"))
        #expect(await t.run("usrs search") == 2)
        #expect(t.sink.standardError.contains("unknown command 'usrs'; did you mean 'users'?"))
        #expect(await t.run("autodialer grops search") == 2)
        #expect(t.sink.standardError.contains("autodialer: unknown action 'grops'; did you mean 'groups'?"))
    }
}

extension SpawningTests {
    /// `simsh COMMAND …` runs any command one-shot, API commands included (issue 9, point 2).
    @Suite struct OneShotCommandTests {
        @Test func anyCommandRunsFromTheCommandLine() throws {
            var r = try spawnSimsh(["--demo", "users", "search"], home: TempDir())
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("\"success\": 1"))
            r = try spawnSimsh(["users", "add", "--help"], home: TempDir())
            #expect(r.status == 0)
            #expect(r.stdout.hasPrefix("USAGE: users add name=… number=… secret=…"))
            r = try spawnSimsh(["shell", "--help"], home: TempDir())
            #expect(r.status == 0)
            #expect(r.stdout.contains("Start the shell, or run a script"))
            r = try spawnSimsh(["users", "search"], home: TempDir())
            #expect(r.status == 2)
            #expect(r.stderr.contains("not connected"))
            #expect(!r.stderr.contains("cannot read users"))
        }
    }
}

/// `--output json` prints one JSON value per line for every command that prints (issue 9, point 3).
@Suite struct OutputModeTests {
    @Test func everyLineIsOneJSONValue() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        t.session.outputMode = .json
        let script = """
            version; echo hi; status; listen status; profile list; ping; users search; events; describe users add
            output; users; help ping; connect demo
            """
        #expect(await t.run(script) == 0, "\(t.sink.standardError)")
        let lines = t.sink.standardOutput.split(separator: "\n")
        #expect(lines.count >= 13)
        for line in lines { #expect((try? JSONValue.parse(String(line))) != nil, "\(line)") }
        let ping = try #require(lines.first { $0.contains(#""command":"ping""#) })
        let users = try #require(lines.first { $0.contains(#""command":"users search""#) })
        func keys(_ l: Substring) throws -> [String] {
            guard case .object(let pairs) = try JSONValue.parse(String(l)) else { return [] }
            return pairs.map(\.0)
        }
        #expect(try keys(ping) == keys(users))  // ping carries the same keys as other API lines
        await t.session.close()
    }

    @Test func tablesFitTheWidthAndAutoIsTheDefault() async throws {
        let rows: [JSONValue] = [
            .object([("number", .string("100")), ("name", .string(String(repeating: "long name ", count: 10)))])
        ]
        let columns = EndpointCatalog.tableColumns(forPath: "pbx/users")
        let narrow = ResultTable.render(rows, columns: columns, total: 1, width: 40)
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 40 })
        #expect(narrow.contains("…"))
        let wide = ResultTable.render(rows, columns: columns, total: 1, width: nil)
        #expect(wide.contains(String(repeating: "long name ", count: 9)))
        let t = TestSession()
        #expect(t.session.outputMode == .auto)
        #expect(await t.run("output table; output pretty; output auto; output") == 0)
        #expect(t.sink.standardOutput == "auto\n")
    }
}

/// argument-parser's messages are translated the one way for built-ins and API commands.
@Suite struct OptionMessagesTests {
    @Test func aMistypedOptionGetsTheSameOneLineEverywhere() async throws {
        let t = TestSession()
        #expect(await t.run("users add --ys") == 2)
        #expect(
            t.sink.standardError.contains(
                "users add: unknown option '--ys'. Did you mean '--yes'? (see 'users add --help')"))
        #expect(await t.run("connect x --pasword y") == 2)
        #expect(
            t.sink.standardError.contains(
                "connect: unknown option '--pasword'. Did you mean '--password'? (see 'connect --help')"))
    }
}
