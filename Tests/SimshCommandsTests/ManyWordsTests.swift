import ArgumentParser
import Testing

@testable import SimshCommands

/// Long lines parse the same through the short way as through argument-parser alone.
@Suite struct ManyWordsTests {
    static func words(_ n: Int, prefix: String = "w") -> [String] { (0..<n).map { "\(prefix)\($0)" } }

    @Test(arguments: [
        ["-n"] + words(100),
        words(100) + ["-n"],
        words(40) + ["-n"] + words(40),
        words(70).map { $0 == "w3" ? "" : $0 },
    ])
    func echoWords(line: [String]) throws {
        let direct = try #require(try Echo.parseAsRoot(line) as? Echo)
        let short = try #require(try ManyWordsParsing.parse(Echo.self, line) as? Echo)
        #expect(short.words == direct.words)
        #expect(short.noNewline == direct.noNewline)
    }

    @Test(arguments: [
        ["pbx/users/search"] + words(80, prefix: "f=") + ["--method", "PUT"],
        ["--method", "PUT", "pbx/users/search"] + words(80, prefix: "f="),
        ["pbx/users/search", "--out", "file.bin"] + words(80, prefix: "a.b=") + ["--method", "GET"] + words(5),
    ])
    func callFields(line: [String]) throws {
        let direct = try #require(try Call.parseAsRoot(line) as? Call)
        let short = try #require(try ManyWordsParsing.parse(Call.self, line) as? Call)
        #expect(short.path == direct.path)
        #expect(short.body == direct.body)
        #expect(short.method == direct.method)
        #expect(short.out == direct.out)
    }

    @Test func catalogOptions() throws {
        let line =
            Self.words(90, prefix: "name=") + ["--start", "5", "--sort", "name:desc"] + Self.words(3, prefix: "x=")
        let direct = try APIOptions.parse(line)
        let short = try ManyWordsParsing.parseOptions(line)
        #expect(short.fields == direct.fields)
        #expect(short.start == 5 && short.sort == "name:desc")
    }

    @Test func aLineHoldingTheSeparatorIsParsedAsItIs() throws {
        let line = Self.words(80) + ["a\u{1F}b"]
        #expect(try ManyWordsParsing.parse(Echo.self, line) == nil)
    }
}
