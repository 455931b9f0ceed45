import Testing

@testable import SimshCore

@Suite struct RedactorTests {
    @Test(arguments: [
        ("connect http://h --user u --password s3cr3t", "connect http://h --user u --password ****"),
        ("connect http://h --password=s3cr3t --api-key 'k e y'", "connect http://h --password=**** --api-key ****"),
        ("connect http://admin:pw@pbx.local/api/v4", "connect http://admin:****@pbx.local/api/v4"),
        ("users add number=100 secret=abc", "users add number=100 secret=****"),
        ("set SIMSH_PASSWORD hunter2", "set SIMSH_PASSWORD ****"),
        ("set HOST pbx", "set HOST pbx"),
        ("ping; connect x --api-key KEY123; ping", "ping; connect x --api-key ****; ping"),
        ("connect x --password-stdin", "connect x --password-stdin"),
        ("connect x --password 'unterminated", "connect x --password ****"),
    ])
    func masksSecrets(input: String, expected: String) {
        #expect(Redactor.redact(input) == expected)
    }

    @Test func historyEntryRules() {
        #expect(HistoryStore.entry(for: " ping") == nil)
        #expect(HistoryStore.entry(for: "   ") == nil)
        #expect(HistoryStore.entry(for: "echo a \\\nb") == "echo a b")
        #expect(HistoryStore.entry(for: "connect u --password p") == "connect u --password ****")
    }
}
