import SimotelKit
import Testing

@testable import SimshLanguage
@testable import SimshRuntime

/// Tables at a terminal's width (issue 23, point 4): dates and times whole, id-like columns
/// shortened first, `--columns`, and a note when columns had to be left out.
@Suite struct ResultTableTests {
    /// Rows as the simulator's `reports cdr` answers them.
    static let cdr: [JSONValue] = [
        ("1405-09-16 16:51:29", "103", "09351112233", "outgoing", "NO ANSWER", "0", "1796662289.125"),
        ("1405-09-16 14:51:29", "09121234567", "900", "incoming", "ANSWERED", "95", "1796655089.125"),
        ("1405-09-15 16:51:29", "09151234567", "900", "incoming", "FAILED", "0", "1796575889.125"),
    ].map { r -> JSONValue in
        .object([
            ("starttime", .string(r.0)), ("src", .string(r.1)), ("dst", .string(r.2)), ("type", .string(r.3)),
            ("disposition", .string(r.4)), ("billsec", .string(r.5)), ("cuid", .string(r.6)),
        ])
    }
    static let cdrColumns = EndpointCatalog.tableColumns(forPath: "reports/cdr")

    static let users: [JSONValue] = [("101", "Sara"), ("102", "Omid"), ("103", "Neda")].map { n -> JSONValue in
        let last = String(n.0.suffix(1))
        return .object([
            ("number", .string(n.0)), ("name", .string(n.1)), ("active", .string("yes")),
            ("user_type", .string("SIP")), ("context", .string("main_routing")),
            ("_id", .string("6b16f21e43871a7e1c00000" + last)),
            ("forward_policy", .object([("Busy", .string("57" + last))])),
        ])
    }

    func lines(_ table: String) -> [String] { table.split(separator: "\n").map(String.init) }

    @Test func datesStayWholeAtEightyColumns() {
        let table = ResultTable.render(Self.cdr, columns: Self.cdrColumns, total: 3, width: 80)
        #expect(lines(table).allSatisfy { $0.count <= 80 }, "\(table)")
        for row in Self.cdr {
            let start = row["starttime"]?.stringValue ?? ""
            #expect(table.contains(start), "\(start) cut:\n\(table)")
        }
        #expect(lines(table).count == 6)
        #expect(!table.contains("hidden"))
    }

    @Test func idLikeColumnsAreShortenedFirst() {
        // Four columns too wide: only the id (cuid) gives way; numbers and dates stay whole.
        let full = ResultTable.render(Self.cdr, columns: Self.cdrColumns, total: 3, width: nil)
        let natural = lines(full).map(\.count).max() ?? 0
        let table = ResultTable.render(Self.cdr, columns: Self.cdrColumns, total: 3, width: natural - 4)
        #expect(lines(table).allSatisfy { $0.count <= natural - 4 }, "\(table)")
        for row in Self.cdr {
            for key in ["starttime", "src", "dst", "disposition"] {
                let value = row[key]?.stringValue ?? ""
                #expect(table.contains(value), "\(key) \(value) cut:\n\(table)")
            }
            #expect(!table.contains(row["cuid"]?.stringValue ?? ""), "the id was not shortened:\n\(table)")
        }
        #expect(table.contains("179666228…"))
    }

    @Test(arguments: [
        "2024-01-02 10:11:12", "1402-10-05", "10:11:12", "2020-12-31 12:27:31.752195", "2024-01-02T10:11:12Z",
    ])
    func datesAndTimesAreNeverCut(_ value: String) {
        let rows: [JSONValue] = [
            .object([("when", .string(value)), ("what", .string(String(repeating: "word ", count: 30)))])
        ]
        let table = ResultTable.render(rows, columns: ["when", "what"], total: nil, width: 36)
        #expect(table.contains(value), "\(table)")
        #expect(lines(table).allSatisfy { $0.count <= 36 }, "\(table)")
        #expect(lines(table)[0].hasSuffix("what"), "\(table)")
        #expect(TableLayout.looksLikeDateOrTime(value))
    }

    @Test func idLikeByNameOrByValue() {
        #expect(TableLayout.isIDLike("_id", ["x"]))
        #expect(TableLayout.isIDLike("trunk_manager_id", ["5"]))
        #expect(TableLayout.isIDLike("ref", ["6b16f21e43871a7e1c000001", "6b16f21efa92a12b99000002"]))
        #expect(TableLayout.isIDLike("call", ["orig.call.1796662289.12"]))
        #expect(TableLayout.isIDLike("unique", ["1796662289.125"]))
        #expect(!TableLayout.isIDLike("src", ["09351112233", "900"]))
        #expect(!TableLayout.looksLikeDateOrTime("09351112233"))
    }

    @Test func chosenColumnsInTheirOrder() throws {
        let table = ResultTable.render(
            Self.users, columns: ["name", "number", "forward_policy.Busy"], total: 3, width: 80)
        let header = lines(table)[0].split(separator: " ", omittingEmptySubsequences: true)
        #expect(header == ["name", "number", "forward_policy.Busy"])
        #expect(lines(table)[2].split(separator: " ") == ["Sara", "101", "571"])
        #expect(!table.contains("main_routing"))
        try ResultTable.check(["name", "forward_policy.Busy"], in: Self.users)
        #expect(throws: SimshError.self) { try ResultTable.check(["nmae"], in: Self.users) }
        do {
            try ResultTable.check(["nmae"], in: Self.users)
        } catch let error as SimshError {
            #expect(error.message.contains("no field 'nmae'") && error.message.contains("name"), "\(error.message)")
            #expect(error.exitStatus == 2)
        }
    }

    @Test func columnsThatDoNotFitAreHiddenAndTheCountLineSaysSo() {
        let columns = EndpointCatalog.tableColumns(forPath: "pbx/users")
        let table = ResultTable.render(Self.users, columns: columns, total: 3, width: 40)
        let all = lines(table)
        #expect(all.dropLast().allSatisfy { $0.count <= 40 }, "\(table)")  // the rows; the count line says why
        #expect(!all[0].contains("_id"), "\(table)")
        #expect(all.last == "3 records (1 column hidden; --columns or --wide)", "\(table)")
        let wide = ResultTable.render(Self.users, columns: columns, total: 3, width: nil)
        #expect(lines(wide)[0].hasSuffix("_id") && lines(wide).last == "3 records")
        let narrow = ResultTable.render(Self.users, columns: columns, total: 3, width: 24)
        #expect(lines(narrow).last?.hasSuffix("(3 columns hidden; --columns or --wide)") == true, "\(narrow)")
    }

    @Test func headersAreBoldOnlyWithColour() {
        let plain = ResultTable.render(Self.users, columns: ["number", "name"], total: 3, width: 80)
        #expect(!plain.contains("\u{1B}"))
        let bold = ResultTable.render(
            Self.users, columns: ["number", "name"], total: 3, width: 80, style: Style(enabled: true))
        #expect(lines(bold)[0] == "\u{1B}[1mnumber  name\u{1B}[0m")
        #expect(lines(bold).dropFirst().allSatisfy { !$0.contains("\u{1B}") })
    }

    @Test func jsonIsColouredOnlyWithColour() {
        let value: JSONValue = .object([
            ("name", .string("a \"b\": c")), ("count", .number(-1.5)), ("ok", .bool(true)), ("none", .null),
        ])
        let text = value.serialized(pretty: true)
        #expect(Style(enabled: false).json(text) == text)
        let coloured = Style(enabled: true).json(text)
        let member = "\u{1B}[1;34m\"name\"\u{1B}[0m: \u{1B}[32m\"a \\\"b\\\": c\"\u{1B}[0m"
        #expect(coloured.contains(member), "\(coloured)")
        #expect(coloured.contains("\u{1B}[36m-1.5\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33mtrue\u{1B}[0m") && coloured.contains("\u{1B}[33mnull\u{1B}[0m"))
        #expect(Style.plain(coloured) == text)
    }

    @Test func colourSequencesAreKeptOnlyWhenColourIsOn() {
        let sink = BufferSink()
        let bold = Style(enabled: true).bold("x")
        Output(sink: sink, color: true, colorOutput: false).line(bold)
        Output(sink: sink, color: false, colorOutput: true).line(bold)
        #expect(sink.standardOutput == "\u{FFFD}[1mx\u{FFFD}[0m\n" + bold + "\n")
    }
}
