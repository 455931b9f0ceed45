import Foundation
import SimotelKit

/// Search results as a table on a terminal: the few columns the catalog names for the resource.
enum ResultTable {
    /// The rows of a search answer (`data` or `data.data`), if it is a list of records.
    static func rows(_ data: JSONValue) -> [JSONValue]? {
        if case .array(let rows) = data, rows.allSatisfy({ if case .object = $0 { return true } else { return false } })
        {
            return rows
        }
        if let inner = data["data"] { return rows(inner) }
        return nil
    }

    /// The table; with a `width`, columns are narrowed (widest first, cells cut with `…`) until a
    /// line fits it. Without one (`--wide`, or not a terminal), columns are as wide as their cells.
    static func render(_ rows: [JSONValue], columns: [String], total: Int?, width: Int? = nil) -> String {
        var keys = columns
        if keys.isEmpty, case .object(let pairs)? = rows.first {
            keys = Array(
                pairs.filter { if case .object = $0.1 { return false } else { return true } }.map(\.0).prefix(6))
        }
        let cells = rows.map { row in keys.map { cell(row[$0]) } }
        var widths = keys.indices.map { i in max(keys[i].count, cells.map { $0[i].count }.max() ?? 0) }
        if let width, !widths.isEmpty {
            let gaps = 2 * (widths.count - 1)
            while widths.reduce(0, +) + gaps > width, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
                widths[widest] > 4
            {
                widths[widest] -= 1
            }
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { v, w in
                let t = v.count > w ? String(v.prefix(w - 1)) + "…" : v
                return t.padding(toLength: w, withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [line(keys), line(widths.map { String(repeating: "-", count: $0) })] + cells.map(line)
        let count =
            "\(rows.count) record\(rows.count == 1 ? "" : "s")"
            + (total.map { $0 != rows.count ? " of \($0)" : "" } ?? "")
        out.append(count)
        return out.joined(separator: "\n")
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
