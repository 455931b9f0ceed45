import Testing

@testable import SimshCore

@Suite struct CompletionTests {
    let engine = CompletionEngine(profileNames: { ["prod", "lab"] })

    func candidates(_ line: String) -> [String] {
        let r = engine.complete(line)
        return r.candidates.filter { $0.hasPrefix(r.word) }
    }

    @Test func commandNames() {
        #expect(candidates("pi") == ["ping"])
        #expect(candidates("pro") == ["profile"])
        #expect(candidates("").contains("connect"))
        #expect(!candidates("").contains("announce"))
        #expect(candidates("ping; ver") == ["version"])
    }

    @Test func subcommandsOptionsAndValues() {
        #expect(candidates("profile ") == ["list", "remove", "save", "show", "use"])
        #expect(candidates("profile u") == ["use"])
        #expect(candidates("profile use ") == ["lab", "prod"])
        #expect(candidates("connect ") == ["lab", "prod"])
        #expect(candidates("connect http://h --pass").sorted() == ["--password", "--password-stdin"])
        #expect(candidates("connect http://h --auth ") == ["basic", "key", "both"])
        #expect(candidates("output ") == ["pretty", "json"])
        #expect(candidates("connect http://h --save ") == ["lab", "prod"])
        #expect(candidates("help pro") == ["profile"])
        #expect(candidates("help profile s") == ["save", "show"])
        #expect(candidates("wait event Cd").sorted() == ["Cdr", "CdrQueue"])
        #expect(candidates("simulate event --variant ") == ["g4", "rest4", "get", "form"])
        #expect(candidates("listen ") == ["events", "status", "stop"])
        #expect(
            candidates("describe autodialer ") == [
                "contacts", "groups", "campaigns", "announcements", "trunks", "reports",
            ])
        #expect(candidates("describe users a") == ["add"])
        #expect(candidates("call pbx/users/s") == ["pbx/users/search"])
    }
}
