import Testing

@testable import SimshLanguage
@testable import SimshRuntime

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
        // Secrets in other forms (a JSON body, raw JSON values, `set k=v`, *_password names).
        (
            #"call pbx/users/add '{"number":"140","secret":"JsonSecret9"}'"#,
            #"call pbx/users/add '{"number":"140","secret":"****"}'"#
        ),
        (#"users add number=1 secret:='"ColonOK4"'"#, "users add number=1 secret:=****"),
        ("set db_password=SETPW5AAA", "set db_password=****"),
        ("set DB_TOKEN a b c", "set DB_TOKEN ****"),
        ("echo PASSWORD=x Api_Key=y passwd=z token=t", "echo PASSWORD=**** Api_Key=**** passwd=**** token=****"),
        (
            "echo db_password=1 x_secret=2 my_token=3 forward_policy.secret=4",
            "echo db_password=**** x_secret=**** my_token=**** forward_policy.secret=****"
        ),
        (
            #"call x data:='{"a":[{"user":"u","password":"p1"}],"n":1}'"#,
            #"call x data:='{"a":[{"user":"u","password":"****"}],"n":1}'"#
        ),
        ("trunks add more_options='fromuser=1\nsecret=as#3591'", "trunks add more_options='fromuser=1\nsecret=****'"),
        ("echo passport=1 secretary=2 tokens=3", "echo passport=1 secretary=2 tokens=3"),
        (#"call x '{"secret":"a b'"#, #"call x '{"secret":"****"'"#),
        (#"call x '{"secret":"a b"#, #"call x '{"secret":"****""#),
        // `set` in each form, credential headers (issue 21).
        (#"set api_token = "abc""#, "set api_token = ****"),
        ("set mytoken=abc", "set mytoken=****"),
        (
            "listen events -H 'Authorization: Bearer tok' -H 'x-api-key: k' -H 'Accept: x'",
            "listen events -H 'Authorization: Bearer ****' -H 'x-api-key: ****' -H 'Accept: x'"
        ),
        ("listen events -H 'Authorization: Bearer unterminated", "listen events -H 'Authorization: Bearer ****"),
    ])
    func masksSecrets(input: String, expected: String) {
        #expect(Redactor.redact(input) == expected)
    }

    @Test(arguments: [
        ("users add number=1 secret=****", "secret"),
        ("users add number=1 secret=******", "secret"),
        ("connect x --password ****", "--password"),
        ("connect x --api-key=****", "--api-key"),
        (#"call pbx/users/add '{"number":"1","secret":"****"}'"#, "secret"),
        (#"users add secret:="****""#, "secret"),
        ("set my_password ****", "my_password"),
        ("set mytoken=****", "mytoken"),
        ("connect http://admin:****@pbx", "password"),
        ("listen events -H 'X-APIKEY: ****'", "X-APIKEY"),
    ])
    func findsAMaskWhereASecretGoes(line: String, name: String) throws {
        let words = try #require(try Lexer.parse(line, file: "-").first).words.map { $0.literalText ?? "" }
        #expect(Redactor.maskedSecret(in: words) == name)
    }

    @Test(arguments: ["users add number=1 secret=s3cret", "echo ****", "echo note=****", "set HOST ****"])
    func noMaskWhereNoSecretGoes(line: String) throws {
        let words = try #require(try Lexer.parse(line, file: "-").first).words.map { $0.literalText ?? "" }
        #expect(Redactor.maskedSecret(in: words) == nil)
    }

    @Test func historyEntryRules() {
        #expect(HistoryStore.entry(for: " ping") == nil)
        #expect(HistoryStore.entry(for: "   ") == nil)
        #expect(HistoryStore.entry(for: "echo a \\\nb") == "echo a b")
        #expect(HistoryStore.entry(for: "connect u --password p") == "connect u --password ****")
        // This session recalls what was typed; only the file is masked.
        #expect(HistoryStore.recall(for: "echo secret=hello") == "echo secret=hello")
        #expect(HistoryStore.entry(for: "echo secret=hello") == "echo secret=****")
    }
}
