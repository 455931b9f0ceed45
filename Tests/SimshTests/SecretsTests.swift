import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshRuntime

/// Secrets on the command line (issue 7, points 1–3): what the history keeps, what is refused,
/// and where the listener's password comes from.
@Suite struct SecretsTests {
    @Test func aMaskWhereASecretGoesIsRefusedBeforeAnythingIsSent() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        #expect(await t.interpreter.runInteractive("users add number=181 name=Recall secret=****") == .status(2))
        #expect(
            t.sink.standardError.contains(
                "error: this line came from history with its secret masked; type the secret again"))
        // Simotel's own mask (`******`, from a search answer) is refused the same way.
        #expect(await t.run("set pw ******; users add number=182 name=Mask secret=$pw") == 2)
        #expect(t.sink.standardError.contains("secret holds a mask (****), not a secret"))
        // Nothing reached the PBX.
        #expect(await t.run("call pbx/users/search '{\"alike\":false,\"conditions\":{\"number\":\"181\"}}'") == 0)
        #expect(t.session.lastResponse?["data"]?.serialized().contains("181") == false)
        #expect(await t.run("users add number=183 name=Real secret=s3cret") == 0)
        await t.session.close()
    }

    @Test func theHistoryFileNeverHoldsASecretInAnyForm() throws {
        let dir = TempDir()
        let store = HistoryStore(path: dir.file("history"))
        let lines = [
            #"call pbx/users/add '{"number":"140","secret":"JsonSecret9"}'"#,
            #"users add number=141 name=a secret:='"ColonOK4"'"#,
            "set db_password=SETPW5AAA",
            "set DB_TOKEN TOKEN6BBB",
            "connect https://api:URLPASS7@pbx.example --api-key KEY8CCC",
            "listen events --user hook --password LISTEN9DDD",
            "trunks add name=t more_options='fromuser=1\nsecret=TRUNK10EEE'",
        ]
        for line in lines { try store.record(line) }
        let text = try String(contentsOfFile: dir.file("history"), encoding: .utf8)
        for secret in [
            "JsonSecret9", "ColonOK4", "SETPW5AAA", "TOKEN6BBB", "URLPASS7", "KEY8CCC", "LISTEN9DDD", "TRUNK10EEE",
        ] {
            #expect(!text.contains(secret), "\(secret) in \(text)")
        }
        #expect(text.split(separator: "\n").count == lines.count)
    }

    @Test func theListenerPasswordComesFromTheEnvironmentStdinOrAProfile() async throws {
        let t = TestSession(environment: ["HOOK_PW": "envpw1"])
        #expect(await t.run("listen events --user hook --password-env HOOK_PW") == 0)
        #expect(t.session.listener?.configuration.basicAuth?.password == "envpw1")
        await t.session.stopListener()
        #expect(await t.run("listen events --user hook --password-env NOT_SET_ANYWHERE") == 2)
        t.session.readSecret = { _ in "stdinpw2" }
        #expect(await t.run("listen events --user hook --password-stdin") == 0)
        #expect(t.session.listener?.configuration.basicAuth?.password == "stdinpw2")
        await t.session.stopListener()
        #expect(await t.run("listen events --password-env HOOK_PW") == 2)  // a password needs a user
        await t.session.close()

        let p = TestSession(environment: ["HOOK_PW": "profilepw3"])
        try FileManager.default.createDirectory(atPath: p.dir.file("config"), withIntermediateDirectories: true)
        try """
        [profiles.pbx]
        url = "http://127.0.0.1:9"
        listen_user = "simotel"
        listen_password_env = "HOOK_PW"
        """.write(toFile: p.dir.file("config/config.toml"), atomically: true, encoding: .utf8)
        #expect(await p.run("connect pbx; listen events") == 0)
        #expect(p.session.listener?.configuration.basicAuth?.user == "simotel")
        #expect(p.session.listener?.configuration.basicAuth?.password == "profilepw3")
        await p.session.close()
    }
}
