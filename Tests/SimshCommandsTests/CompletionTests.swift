import Foundation
import SimshTesting
import Testing

@testable import SimshCommands

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
        #expect(candidates("connect http://h --pass").sorted() == ["--password", "--password-env", "--password-stdin"])
        #expect(candidates("connect http://h --auth ") == ["basic", "key", "both"])
        #expect(candidates("output ") == ["auto", "table", "pretty", "json"])
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
        #expect(candidates("us") == ["users"])
        #expect(candidates("users ") == ["add", "search", "update", "remove"])
        #expect(candidates("users add nu") == ["number="])
        #expect(candidates("users add active=") == ["active=yes", "active=no"])
        #expect(candidates("users search num") == ["number="])
        #expect(candidates("autodialer c") == ["contacts", "campaigns"])
        #expect(
            candidates("queues add name=x strategy=r").sorted() == [
                "strategy=random", "strategy=ringall", "strategy=rrmemory", "strategy=rrordered",
            ])
    }
}

@Suite struct CompletionDuplicatesTests {
    let engine = CompletionEngine(profileNames: { ["prod"] })

    @Test(arguments: ["help ", "", "ping --", "users add --", "connect --", "listen events --", "help us"])
    func noCandidateTwice(line: String) {
        let c = engine.complete(line).candidates
        #expect(c.count == Set(c).count, "\(line): \(c)")
    }

    @Test func helpCompletesAPIResourcesToo() {
        let r = engine.complete("help us")
        #expect(r.candidates.filter { $0.hasPrefix(r.word) }.contains("users"))
    }
}

@Suite struct CompletionFilesAndQuotesTests {
    let engine = CompletionEngine(profileNames: { [] })

    @Test func aFieldNameWithASpaceCompletesQuoted() {
        let r = engine.complete("users add forward_policy.No")
        #expect(r.candidates.contains(#""forward_policy.No Answer"="#))
        #expect(r.candidates.contains("forward_policy.Busy="))
    }

    @Test func filesWhereAFileGoes() throws {
        let dir = TempDir()
        #expect(FileManager.default.createFile(atPath: dir.file("hello.wav"), contents: Data()))
        for line in [
            "announcements upload \(dir.path)/he", "call pbx/x --out \(dir.path)/he",
            "reports audio download file=x --out \(dir.path)/he", "listen events --log \(dir.path)/he",
        ] {
            #expect(engine.complete(line).candidates == ["\(dir.path)/hello.wav"], "\(line)")
        }
    }
}
