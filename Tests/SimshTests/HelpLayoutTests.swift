import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshRuntime

/// Help at 80 columns and tables' columns by choice (issue 23, point 4).
@Suite struct HelpLayoutTests {
    /// The text a help line shows, before it is wrapped.
    static func unwrapped(_ words: [String]) throws -> String {
        if words == ["help"] { return Help.list() }
        let asked = words.first == "help" ? Array(words.dropFirst()) : words.filter { $0 != "--help" }
        if asked.count == 1, let topic = HelpTopic.named(asked[0]) { return topic.rendered(width: 78) }
        return CommandTable.help(try #require(CommandTable.resolve(asked)))
    }

    @Test(arguments: [
        "help", "help api", "help script", "help events", "help connect", "connect --help", "help listen events",
        "help users search", "help component call", "help expect",
    ])
    func helpWrapsAtEightyColumnsWithoutCuttingAWord(_ line: String) async throws {
        let t = TestSession()
        #expect(await t.run(line) == 0, "\(t.sink.standardError)")
        let shown = t.sink.standardOutput
        for row in shown.split(separator: "\n") where row.count > 80 {
            // Only a word longer than a line may stand out, alone on its line.
            #expect(row.split(separator: " ").count == 1, "\(line): \(row)")
        }
        // Every word of the unwrapped text appears whole, in order.
        let words = try Self.unwrapped(line.split(separator: " ").map(String.init))
            .split(whereSeparator: \.isWhitespace)
        let shownWords = shown.split(whereSeparator: \.isWhitespace)
        #expect(Array(shownWords.prefix(words.count)) == words, "\(line)")
        #expect(shownWords.count - words.count <= 5, "\(line)")
    }

    @Test func helpFollowsTheTerminalsWidth() async throws {
        let t = TestSession()
        t.session.terminalWidth = { 60 }
        #expect(await t.run("help") == 0)
        let rows = t.sink.standardOutput.split(separator: "\n")
        #expect(rows.allSatisfy { $0.count <= 60 }, "\(t.sink.standardOutput)")
        // A continued description starts under the descriptions.
        let call = try #require(rows.firstIndex { $0.hasPrefix("  call ") })
        let first = String(rows[call])
        let column = try #require(first.range(of: "Send")).lowerBound.utf16Offset(in: first)
        #expect(column > 6 && rows[call + 1].prefix(column).allSatisfy { $0 == " " } && rows[call + 1].count > column)
    }

    @Test func wrappingKeepsLongWordsWhole() {
        let long = String(repeating: "x", count: 90)
        let text = HelpText.wrap("  name  some words then \(long) and more words after it", width: 40)
        let rows = text.split(separator: "\n")
        #expect(rows.contains { $0 == Substring(long) })
        #expect(rows.filter { $0.count > 40 }.count == 1)
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words == "name some words then \(long) and more words after it")
    }

    @Test func columnsChooseAnAPITablesColumns() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        t.session.outputMode = .table
        #expect(await t.run("users search --columns name,number") == 0, "\(t.sink.standardError)")
        let rows = t.sink.standardOutput.split(separator: "\n")
        #expect(rows.first?.split(separator: " ") == ["name", "number"], "\(t.sink.standardOutput)")
        #expect(!t.sink.standardOutput.contains("main_routing"))
        #expect(await t.run("users search --columns nmae") == 2)
        #expect(t.sink.standardError.contains("no field 'nmae'"), "\(t.sink.standardError)")
        await t.session.close()
    }
}
