/// The widths of a table's columns at a terminal's width. A cell that looks like a date or a time
/// (`2024-01-02 10:11:12`, `1402-10-05`, `10:11:12`) is never cut; id-like columns (named `_id`,
/// `cuid`, `…_id`, or holding ObjectIds, UUIDs, `orig.call.…` or Asterisk unique ids) are
/// shortened first, then the widest others; when even that does not fit, columns are left out
/// from the right (`widths` has fewer entries than the table has columns).
struct TableLayout {
    /// The widths of the columns shown: the first `widths.count` of the table's.
    var widths: [Int]

    /// Id-like cells keep this many characters at least (`6b16f21e4…`): enough to tell rows apart.
    static let idFloor = 10
    /// ... and this many when the other columns would be cut otherwise.
    static let idLeast = 6
    /// Other cells keep this many at least.
    static let otherFloor = 5

    init(keys: [String], cells: [[String]], width: Int?) {
        let columns = keys.indices.map { i in cells.map { $0[i] } }
        let natural = keys.indices.map { i in max(keys[i].count, columns[i].map(\.count).max() ?? 0) }
        guard let width, !keys.isEmpty else {
            widths = natural
            return
        }
        let idLike = keys.indices.map { Self.isIDLike(keys[$0], columns[$0]) }
        let floors = keys.indices.map { i -> Int in
            let dates = columns[i].filter(Self.looksLikeDateOrTime).map(\.count).max() ?? 0
            return min(natural[i], max(idLike[i] ? Self.idFloor : Self.otherFloor, dates))
        }
        let least = floors.indices.map { idLike[$0] ? min(floors[$0], Self.idLeast) : floors[$0] }
        var shown = keys.count
        while shown > 1, floors.prefix(shown).reduce(0, +) + 2 * (shown - 1) > width { shown -= 1 }
        var w = Array(natural.prefix(shown))
        let gaps = 2 * (shown - 1)
        // Id-like columns give way first (to `idFloor`, then to `idLeast` before any other cell is
        // cut), then the others, the widest first each time.
        for (ids, limit) in [(true, floors), (true, least), (false, floors)] {
            while w.reduce(0, +) + gaps > width,
                let i = w.indices.filter({ idLike[$0] == ids && w[$0] > limit[$0] }).max(by: { w[$0] < w[$1] })
            {
                w[i] -= 1
            }
        }
        widths = w
    }

    static let idNames: Set<String> = [
        "id", "_id", "uid", "cuid", "uuid", "guid", "uniqueid", "unique_id", "linkedid", "callid", "call_id",
    ]

    /// A column of identifiers: by its name, or by every value in it.
    static func isIDLike(_ key: String, _ column: [String]) -> Bool {
        let name = key.lowercased()
        if idNames.contains(name) || name.hasSuffix("_id") { return true }
        let values = column.filter { !$0.isEmpty }
        return !values.isEmpty && values.allSatisfy(looksLikeID)
    }

    /// An ObjectId or UUID (16 or more hex digits, dashes allowed, a letter among them), an
    /// originated call's id (`orig.call.…`), or an Asterisk unique id (`1796662289.125`).
    static func looksLikeID(_ s: String) -> Bool {
        if s.hasPrefix("orig.call.") { return true }
        let hex = s.filter { $0 != "-" }
        if hex.count >= 16, hex.allSatisfy(\.isHexDigit), hex.contains(where: \.isLetter) { return true }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].count == 10 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isDigit) }
    }

    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    /// `2024-01-02`, `1402/10/05`, `10:11`, `10:11:12`, or a date and a time (a space or `T`
    /// between), the time with a fraction of a second and a zone (`Z`, `+03:30`) allowed.
    static func looksLikeDateOrTime(_ s: String) -> Bool {
        guard (5...40).contains(s.count) else { return false }
        var shape = String(s.map { isDigit($0) ? "9" : $0 })
        if shape.hasSuffix("Z") {
            shape.removeLast()
        } else if let zone = ["+99:99", "-99:99", "+9999", "-9999"].first(where: { shape.hasSuffix($0) }),
            shape.dropLast(zone.count).hasSuffix("99:99:99") || shape.dropLast(zone.count).contains(".")
        {
            shape.removeLast(zone.count)
        }
        if let dot = shape.lastIndex(of: "."), shape[..<dot].hasSuffix("99:99:99") {
            let fraction = shape[shape.index(after: dot)...]
            if !fraction.isEmpty, fraction.allSatisfy({ $0 == "9" }) { shape = String(shape[..<dot]) }
        }
        let dates = ["9999-99-99", "9999/99/99"]
        let times = ["99:99", "99:99:99"]
        if dates.contains(shape) || times.contains(shape) { return true }
        return dates.contains { d in times.contains { t in shape == d + " " + t || shape == d + "T" + t } }
    }
}
