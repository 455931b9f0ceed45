import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshLanguage
@testable import SimshRuntime

@Suite struct ProfileStoreTests {
    @Test func saveLoadRoundTripWithMode0600() throws {
        let dir = TempDir()
        let store = ProfileStore(path: dir.file("cfg/config.toml"))
        let p = Profile(
            name: "prod", url: "https://pbx.example", user: "api", password: "pw", apiKey: "k", auth: .both, timeout: 5)
        try store.save(p)
        try store.save(Profile(name: "lab", url: "http://10.0.0.1", user: "u", passwordEnv: "LAB_PW", auth: .basic))
        try store.setDefault("prod")
        let loaded = try store.load()
        #expect(loaded.profiles.map(\.name) == ["lab", "prod"])
        #expect(loaded.profiles[1] == p)
        #expect(loaded.defaultProfile == "prod")
        var st = stat()
        stat(store.path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(try store.remove("prod"))
        #expect(try store.remove("prod") == false)
        #expect(try store.load().defaultProfile == nil)
    }

    @Test func refusesSecretsInAFileOthersCanRead() throws {
        let dir = TempDir()
        let store = ProfileStore(path: dir.file("config.toml"))
        try store.save(Profile(name: "prod", url: "http://h", user: "u", password: "pw"))
        chmod(store.path, 0o644)
        do {
            _ = try store.load()
            Issue.record("loaded a world-readable file with secrets")
        } catch let e as SimshError {
            #expect(e.message.contains("0644"))
            #expect(e.message.contains("chmod 600"))
        }
        // Without secrets (env references only) a readable file is fine.
        try "[profiles.lab]\nurl = \"http://h\"\npassword_env = \"X\"\n".write(
            toFile: store.path, atomically: true, encoding: .utf8)
        chmod(store.path, 0o644)
        #expect(try store.load().profiles.count == 1)
    }

    @Test func keepsKeysItDoesNotKnow() throws {
        let dir = TempDir()
        let path = dir.file("config.toml")
        try "color = false\n[profiles.a]\nurl = \"http://a\"\nnote = \"keep me\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let store = ProfileStore(path: path)
        try store.save(Profile(name: "b", url: "http://b"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("color = false"))
        #expect(try store.load().profiles.map(\.name) == ["a", "b"])
    }

    @Test func invalidTOMLIsAClearError() throws {
        let dir = TempDir()
        let path = dir.file("config.toml")
        try "[profiles.a\nurl = 1".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SimshError.self) { try ProfileStore(path: path).load() }
    }

    /// A NUL is no TOML: refused where it is, before TOMLKit reads past it (scripts/fuzz found a
    /// heap overflow there).
    @Test func aNULCharacterIsRefusedWhereItIs() throws {
        let dir = TempDir()
        let path = dir.file("config.toml")
        try "default = \"a\"\n[pro\0files.a]\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        #expect(throws: SimshError.usage("\(path):2:5: invalid TOML: a NUL character")) {
            try ProfileStore(path: path).load()
        }
        try "default = \"a\"\n[\u{01}k\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SimshError.usage("\(path):2:2: invalid TOML: a control character")) {
            try ProfileStore(path: path).load()
        }
        // toml++ aborted on this one (a release build too).
        try "default = \"a\"\n[//127.0.0.1:8080\"\nuser = \"u\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SimshError.self) { try ProfileStore(path: path).load() }
        try "[profiles.\"a b\"]\nurl = \"http://h\"\n[ profiles . 'c' ] # ok\nurl = \"http://h\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(try ProfileStore(path: path).load().profiles.map(\.name).sorted() == ["a b", "c"])
        // A header not closed on its line: toml++ aborted (found by scripts/fuzz).
        try "default = \"a\"\r\n[\n\nprofiles.a]\nurl = \"http://h\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SimshError.usage("\(path):2:2: invalid TOML: a table header ends with ']' on its line")) {
            try ProfileStore(path: path).load()
        }
        try "[\r\r]\r\r".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SimshError.usage("\(path):1:2: invalid TOML: a carriage return not followed by a line feed")) {
            try ProfileStore(path: path).load()
        }
        for (text, column, what) in [
            ("[.profiles.a]\n", 2, TOMLPrecheck.tableName), ("[profiles..a]\n", 11, TOMLPrecheck.tableName),
            ("[profiles.a] x\n", 14, TOMLPrecheck.tableName), ("a..b = 1\n", 3, TOMLPrecheck.keyName),
            ("url\n", 4, TOMLPrecheck.keyName), ("[[a]\n", 5, TOMLPrecheck.unclosed),
        ] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: SimshError.usage("\(path):1:\(column): invalid TOML: \(what)")) {
                try ProfileStore(path: path).load()
            }
        }
    }

    /// What TOML allows passes the check that refuses the rest.
    @Test func whatTOMLAllowsPassesTheCheck() throws {
        let dir = TempDir()
        let path = dir.file("config.toml")
        // A byte-order mark, dotted and quoted keys, inline
        // tables, arrays of tables, multi-line strings of both kinds.
        try "\u{FEFF}default = 'a' # c\r\n[profiles . \"a\"]\nurl = \"http://h\"\nx.'y z'.w = { p = 1, q = [2] }\n"
            .appending("s = '''\n= [x\n'''\nt = \"\"\"\\\"\"\"\"\"\n[[list]]\n[[list]]\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(TOMLPrecheck.problem(try String(contentsOfFile: path, encoding: .utf8)) == nil)
        #expect(try ProfileStore(path: path).load().profiles.map(\.name) == ["a"])
        // Lines of a value that start with '[' (nested arrays, multi-line strings) are no headers.
        try """
        [profiles.a]
        url = "http://h"
        note = \"\"\"
        [not a header, //
        \"\"\"
        tags = [
          ["x", "]"],
          [1, 2],
        ]
        [profiles.b] # second
        url = "http://h"

        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ProfileStore(path: path).load().profiles.map(\.name).sorted() == ["a", "b"])
    }

    @Test func environmentOverridesAndReferences() throws {
        let p = Profile(name: "lab", url: "http://10.0.0.1/api/v4/", user: "u", passwordEnv: "LAB_PW")
        let c = try p.connection(environment: ["LAB_PW": "from-env"])
        #expect(c.root == "http://10.0.0.1")
        #expect(c.credentials.password == "from-env")
        #expect(c.credentials.mode == .basic)
        let o = try p.connection(environment: [
            "LAB_PW": "x", "SIMSH_URL": "http://other:8080", "SIMSH_USER": "v",
            "SIMSH_PASSWORD": "y", "SIMSH_API_KEY": "z",
        ])
        #expect(o.root == "http://other:8080")
        #expect(o.credentials == SimotelCredentials(user: "v", password: "y", apiKey: "z", mode: .both))
        #expect(throws: SimshError.self) { try p.connection(environment: [:]) }
    }

    @Test(arguments: [
        ("http://192.168.51.20", "http://192.168.51.20"),
        ("http://192.168.51.20/api/v4", "http://192.168.51.20"),
        ("http://192.168.51.20/api/v4/", "http://192.168.51.20"),
        ("192.168.51.20:8080", "http://192.168.51.20:8080"),
        ("https://pbx.example/simotel/api/v4", "https://pbx.example/simotel"),
    ])
    func addressNormalisation(input: String, root: String) {
        #expect(SimotelConnection.parseAddress(input)?.root == root)
    }

    @Test func addressWithCredentials() {
        let a = SimotelConnection.parseAddress("http://test:Aa123456@h/api/v4")
        #expect(a?.root == "http://h")
        #expect(a?.user == "test")
        #expect(a?.password == "Aa123456")
        #expect(SimotelConnection.parseAddress("ftp://h") == nil)
        #expect(
            SimotelConnection(root: "http://h", credentials: .init()).url(for: "setting/ping/act")
                == "http://h/api/v4/setting/ping/act")
    }
}
