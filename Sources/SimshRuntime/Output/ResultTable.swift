import Foundation
import SimotelKit
import SimshLanguage

/// Search results as a table on a terminal: the few columns the catalog names for the resource,
/// or those `--columns a,b,c` chooses.
package enum ResultTable {
    /// The rows of a search answer (`data` or `data.data`), if it is a list of records.
    static func rows(_ data: JSONValue) -> [JSONValue]? {
        if case .array(let rows) = data, rows.allSatisfy({ if case .object = $0 { return true } else { return false } })
        {
            return rows
        }
        if let inner = data["data"] { return rows(inner) }
        return nil
    }

    /// The table. With a `width` it fits it (see `TableLayout`): dates and times stay whole, id-like
    /// columns are shortened first, then the widest others (cells cut with `…`), and columns that
    /// still do not fit are left out from the right, which the count line says. Without one
    /// (`--wide`, or not a terminal), columns are as wide as their cells. The header is bold with `style`.
    package static func render(
        _ rows: [JSONValue], columns: [String], total: Int?, width: Int? = nil, style: Style = Style(enabled: false)
    ) -> String {
        var keys = columns
        if keys.isEmpty, case .object(let pairs)? = rows.first {
            keys = Array(
                pairs.filter { if case .object = $0.1 { return false } else { return true } }.map(\.0).prefix(6))
        }
        let cells = rows.map { row in keys.map { cell(value(row, $0)) } }
        let widths = TableLayout(keys: keys, cells: cells, width: width).widths
        func line(_ values: [String]) -> String {
            zip(values, widths).map { v, w in
                let t = v.count > w ? String(v.prefix(max(0, w - 1))) + "…" : v
                return t.padding(toLength: w, withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [style.header(line(keys)), line(widths.map { String(repeating: "-", count: $0) })] + cells.map(line)
        var count =
            "\(rows.count) record\(rows.count == 1 ? "" : "s")"
            + (total.map { $0 != rows.count ? " of \($0)" : "" } ?? "")
        let hidden = keys.count - widths.count
        if hidden > 0 { count += " (\(hidden) column\(hidden == 1 ? "" : "s") hidden; --columns or --wide)" }
        out.append(count)
        return out.joined(separator: "\n")
    }

    /// `--columns`: a usage error for a column that no row has (a misspelt field would be an
    /// empty column), naming the fields the rows have.
    static func check(_ columns: [String], in rows: [JSONValue]) throws {
        guard !rows.isEmpty, let missing = columns.first(where: { c in rows.allSatisfy { value($0, c) == nil } })
        else { return }
        var fields: [String] = []
        for case .object(let pairs) in rows.prefix(20) {
            for (key, _) in pairs where !fields.contains(key) { fields.append(key) }
        }
        let known = fields.joined(separator: ", ")
        throw SimshError.usage("--columns: no field '\(missing)' in the answer (fields: \(known))")
    }

    /// A row's value for a column: the field of that name, else a dotted path (`forward_policy.Busy`).
    static func value(_ row: JSONValue, _ key: String) -> JSONValue? {
        if let v = row[key] { return v }
        guard key.contains(".") else { return nil }
        var v: JSONValue? = row
        for part in key.split(separator: ".") { v = v?[String(part)] }
        return v
    }

    static func cell(_ v: JSONValue?) -> String {
        guard let v else { return "" }
        switch v {
        case .array(let items): return items.map(\.displayText).joined(separator: ",")
        case .object: return v.serialized()
        default: return v.displayText
        }
    }
}
