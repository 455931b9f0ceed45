import Foundation
import HTTPServerKit
import SimotelSimulator
import SimshTesting
import Testing

@testable import SimotelKit
@testable import SimshCommands
@testable import SimshRuntime

/// Issue 23, point 6: what a real PBX needs. A private CA (`--cacert`, a profile's `cacert`,
/// `SSL_CERT_FILE`), `connect … --save` that pings first, secrets from the environment and
/// standard input, and errors that say what was sent (401), where (404) and which scheme to use.
@Suite struct RealPBXTests {
    static let key = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"
    static let sample = "--user test --password Aa123456 --api-key \(key)"

    func sessionWithConfig(_ toml: String, environment: [String: String] = [:]) throws -> TestSession {
        let t = TestSession(environment: environment)
        try FileManager.default.createDirectory(atPath: t.dir.file("config"), withIntermediateDirectories: true)
        try toml.write(toFile: t.dir.file("config/config.toml"), atomically: true, encoding: .utf8)
        return t
    }

    @Test func aPrivateCAIsTrustedWithCacertAndNamedWhenItIsNot() async throws {
        let ca = try PrivateCA()
        let server = try await TLSTestServer(ca)
        // Without the CA: not trusted, and the message says how to trust it.
        let plain = TestSession()
        #expect(await plain.run("connect \(server.url)\nping") == 3)
        let error = plain.sink.standardError
        #expect(error.contains("TLS: certificate not trusted ("), "\(error)")
        #expect(error.contains("; trust its CA with --cacert FILE, or use --insecure to skip verification"), "\(error)")
        #expect(error.split(separator: "\n").count == 1, "\(error)")
        await plain.session.close()
        // With it: through the handshake, and the server's answer. Saved, the profile keeps it.
        let t = TestSession()
        #expect(await t.run("connect \(server.url) --cacert \(ca.caFile) --save pbx") == 0, "\(t.sink.all)")
        #expect(try t.session.profiles.profile(named: "pbx")?.cacert == ca.caFile)
        #expect(await t.run("ping") == 0, "\(t.sink.all)")
        #expect(t.sink.standardOutput.contains("ping ok (success 1"))
        #expect(await t.run("disconnect\nconnect pbx\nping\nprofile show pbx") == 0, "\(t.sink.all)")
        let shown = t.sink.standardOutput.split(separator: "\n").filter { $0.hasPrefix("cacert ") }
        #expect(shown.count == 1 && shown.first?.hasSuffix(" \(ca.caFile)") == true, "\(t.sink.standardOutput)")
        await t.session.close()
        await server.stop()
    }

    @Test func sslCertFileNamesTheCAWhenNoCacertIsGiven() async throws {
        let ca = try PrivateCA()
        let other = try PrivateCA()
        let server = try await TLSTestServer(ca)
        let t = TestSession(environment: ["SSL_CERT_FILE": ca.caFile])
        #expect(await t.run("connect \(server.url)\nping") == 0, "\(t.sink.all)")
        await t.session.close()
        // Another CA's file: not trusted, and the message says which file was in use.
        let wrong = TestSession(environment: ["SSL_CERT_FILE": other.caFile])
        #expect(await wrong.run("connect \(server.url)\nping") == 3)
        #expect(wrong.sink.standardError.contains("; CA file in use: \(other.caFile))"), "\(wrong.sink.standardError)")
        #expect(wrong.sink.standardError.contains("trust its CA with --cacert FILE"))
        await wrong.session.close()
        // --cacert comes first.
        let both = TestSession(environment: ["SSL_CERT_FILE": other.caFile])
        #expect(await both.run("connect \(server.url) --cacert \(ca.caFile)\nping") == 0, "\(both.sink.all)")
        await both.session.close()
        // A plain http:// server has no use for it: a missing SSL_CERT_FILE is no error there.
        let http = TestSession(environment: ["SSL_CERT_FILE": other.dir.file("missing.pem")])
        #expect(await http.run("connect http://127.0.0.1:\(closedPort())") == 0, "\(http.sink.all)")
        await http.session.close()
        await server.stop()
    }

    @Test func aCAFileThatCannotBeUsedIsOneLineAtConnect() async throws {
        let dir = TempDir()
        try "not a certificate\n".write(toFile: dir.file("notes.txt"), atomically: true, encoding: .utf8)
        try "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
            .write(toFile: dir.file("broken.pem"), atomically: true, encoding: .utf8)
        let url = "https://127.0.0.1:\(closedPort())"
        let cases: [(path: String, words: String)] = [
            (dir.file("missing.pem"), "no such file"), (dir.path, "is a directory, not a PEM file"),
            (dir.file("notes.txt"), "holds no PEM certificate"),
            (dir.file("broken.pem"), "holds a certificate that cannot be read"),
        ]
        for (path, words) in cases {
            let t = TestSession()
            #expect(await t.run("connect \(url) --cacert \(path)") == 3, "\(path)")
            let error = t.sink.standardError
            #expect(error.contains("error: --cacert \(path): \(words)"), "\(error)")
            #expect(error.split(separator: "\n").count == 1, "\(error)")
            let connected = t.session.active != nil
            #expect(!connected)
        }
        // A profile's cacert and SSL_CERT_FILE are checked the same way.
        let missing = dir.file("missing.pem")
        let profile = try sessionWithConfig("[profiles.lab]\nurl = \"\(url)\"\ncacert = \"\(missing)\"\n")
        #expect(await profile.run("connect lab") == 3)
        #expect(profile.sink.standardError.contains("profile lab: cacert \(missing): no such file"))
        let env = TestSession(environment: ["SSL_CERT_FILE": dir.file("notes.txt")])
        #expect(await env.run("connect \(url)") == 3)
        #expect(env.sink.standardError.contains("SSL_CERT_FILE \(dir.file("notes.txt")): holds no PEM certificate"))
    }

    @Test func connectSaveSavesOnlyAfterAGoodPing() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let t = TestSession()
        #expect(await t.run("connect \(url) \(Self.sample) --save lab") == 0, "\(t.sink.all)")
        #expect(try t.session.profiles.profile(named: "lab") != nil)
        // A wrong API key: exit 4, nothing saved, the session still on its connection.
        let wrongKey = "connect \(url) --user test --password Aa123456 --api-key wrong-key-123 --save bad"
        #expect(await t.run(wrongKey) == 4)
        #expect(t.sink.standardError.contains("ping failed: HTTP 401"), "\(t.sink.standardError)")
        #expect(t.sink.standardError.contains("profile bad not saved"))
        #expect(try t.session.profiles.profile(named: "bad") == nil)
        #expect(t.session.active?.name == "lab")
        // Nobody there: exit 3, nothing saved.
        #expect(await t.run("connect http://127.0.0.1:\(closedPort()) --save gone") == 3)
        #expect(try t.session.profiles.profile(named: "gone") == nil)
        let file = try String(contentsOfFile: t.session.profiles.path, encoding: .utf8)
        #expect(file.contains("[profiles.lab]"), "\(file)")
        #expect(!file.contains("[profiles.bad]") && !file.contains("[profiles.gone]"), "\(file)")
        await t.session.close()
        await sim.stop()
    }

    @Test func connectAloneNoCheckAndProfileSaveSendNothing() async throws {
        let server = RecordingServer()
        let url = try await server.start()
        let t = TestSession()
        #expect(await t.run("connect \(url) --user u --password pw --save quiet --no-check") == 0, "\(t.sink.all)")
        #expect(await t.run("connect \(url) --user u --password pw") == 0)
        #expect(await t.run("profile save copy") == 0)
        #expect(server.requests.isEmpty)
        #expect(try t.session.profiles.profile(named: "quiet") != nil)
        #expect(try t.session.profiles.profile(named: "copy") != nil)
        // --save alone pings (once), then saves.
        #expect(await t.run("connect \(url) --user u --password pw --save checked") == 0)
        #expect(server.requests.map(\.path) == ["/api/v4/setting/ping/act"])
        #expect(await t.run("connect \(url) --no-check") == 2)
        // simsh-connect(1) says so.
        let discussion = Connect.configuration.discussion
        #expect(discussion.contains("--no-check") && discussion.contains("profile save"))
        await t.session.close()
        await server.server.stop()
    }

    @Test func secretsFromTheEnvironmentAreSavedAsTheVariablesNames() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let t = TestSession(environment: ["PBX_PW": "Aa123456", "PBX_KEY": Self.key, "EMPTY": ""])
        let fromEnv = "connect \(url) --user test --password-env PBX_PW --api-key-env PBX_KEY --save env"
        #expect(await t.run(fromEnv) == 0, "\(t.sink.all)")
        let saved = try #require(try t.session.profiles.profile(named: "env"))
        #expect(saved.password == nil && saved.passwordEnv == "PBX_PW")
        #expect(saved.apiKey == nil && saved.apiKeyEnv == "PBX_KEY")
        #expect(await t.run("ping") == 0)
        // profile save keeps the names too, and takes them as options.
        #expect(await t.run("profile save again") == 0)
        #expect(try t.session.profiles.profile(named: "again")?.passwordEnv == "PBX_PW")
        #expect(await t.run("connect \(url) \(Self.sample)\nprofile save named --password-env PBX_PW") == 0)
        let named = try #require(try t.session.profiles.profile(named: "named"))
        #expect(named.password == nil && named.passwordEnv == "PBX_PW" && named.apiKey == Self.key)
        let file = try String(contentsOfFile: t.session.profiles.path, encoding: .utf8)
        #expect(!file.contains("Aa123456"), "\(file)")
        // An unset or empty variable is an error naming it; nothing is saved.
        #expect(await t.run("connect \(url) --user test --password-env NOT_SET_HERE --save nope") == 2)
        #expect(t.sink.standardError.contains("--password-env: environment variable NOT_SET_HERE is not set"))
        #expect(await t.run("profile save nope --api-key-env EMPTY") == 2)
        #expect(t.sink.standardError.contains("--api-key-env: environment variable EMPTY is empty"))
        #expect(try t.session.profiles.profile(named: "nope") == nil)
        // The values are secrets: masked wherever simsh writes them.
        #expect(await t.run("echo $PBX_KEY") == 0)
        #expect(!t.sink.all.contains(Self.key))
        await t.session.close()
        await sim.stop()
    }

    @Test func profileSaveReadsSecretsFromStandardInputPasswordFirst() async throws {
        let server = RecordingServer()
        let url = try await server.start()
        let t = TestSession()
        let lines = SecretLines(["pw-from-stdin-1", "key-from-stdin-2"])
        t.session.readSecret = { _ in lines.next() }
        #expect(await t.run("connect \(url) --user u\nprofile save both --password-stdin --api-key-stdin") == 0)
        let saved = try #require(try t.session.profiles.profile(named: "both"))
        #expect(saved.password == "pw-from-stdin-1" && saved.apiKey == "key-from-stdin-2")
        #expect(server.requests.isEmpty)
        // Known as secrets from then on.
        #expect(await t.run("echo pw-from-stdin-1 key-from-stdin-2") == 0)
        #expect(t.sink.standardOutput.contains("**** ****"), "\(t.sink.standardOutput)")
        await t.session.close()
        await server.server.stop()
    }
}

/// Lines a test's standard input would give, one per read.
final class SecretLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]

    init(_ lines: [String]) { self.lines = lines }

    func next() -> String? {
        lock.withLock { lines.isEmpty ? nil : lines.removeFirst() }
    }
}

extension SpawningTests {
    /// The real standard input of `simsh -c`: with both --password-stdin and --api-key-stdin, the
    /// first line is the password and the second the API key.
    @Suite struct RealPBXProcessTests {
        @Test func bothStdinOptionsReadThePasswordThenTheKey() throws {
            let home = TempDir()
            let sim = try SimulatorProcess(home: home)
            defer { _ = sim.stop() }
            let key = RealPBXTests.key
            let r = try spawnSimsh(
                ["-c", "connect \(sim.url) --user test --password-stdin --api-key-stdin --save both; ping"],
                stdin: "Aa123456\n\(key)\n", home: home)
            #expect(r.status == 0, "\(r.stderr)")
            let store = ProfileStore(path: home.file("config/config.toml"))
            let saved = try #require(try store.profile(named: "both"))
            #expect(saved.password == "Aa123456" && saved.apiKey == key)
            #expect(!(r.stdout + r.stderr).contains(key))
            // The other way round the server refuses them: nothing saved, no secret shown.
            let swapped = try spawnSimsh(
                ["-c", "connect \(sim.url) --user test --password-stdin --api-key-stdin --save swapped"],
                stdin: "\(key)\nAa123456\n", home: home)
            #expect(swapped.status == 4, "\(swapped.stderr)")
            #expect(swapped.stderr.contains("profile swapped not saved"), "\(swapped.stderr)")
            #expect(!swapped.stderr.contains(key) && !swapped.stderr.contains("Aa123456"))
            #expect(try store.profile(named: "swapped") == nil)
        }
    }
}
