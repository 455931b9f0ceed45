import Foundation
import HTTPServerKit
import SimotelKit

extension SimotelSimulator {
    /// A paged search's answer (api-v4.md §7.4): the rows sorted by `pagination.sorting` (any
    /// field, `1` ascending, `-1` descending, ties in stored order) or the service's default,
    /// then `start`/`count` applied; `pagination` echoed with the effective sorting and `total`.
    /// Report searches also carry `target` and `useGroupBy`.
    static func page(
        _ rows: [JSONValue], _ body: JSONValue, spec: EndpointSpec, target: String? = nil,
        message: String = "Requested operation is done successfully"
    ) -> ServerResponse {
        let rows = within(body["date_range"], rows)
        let pagination = body["pagination"]
        let start = max(0, pagination?["start"]?.intValue ?? 0)
        let count = max(0, pagination?["count"]?.intValue ?? 20)
        let byDefault = spec.defaultSorting ?? (field: "date", direction: -1)
        var field = byDefault.field
        var direction = byDefault.direction
        if case .object(let keys)? = pagination?["sorting"], let (key, value) = keys.first {
            field = key
            direction = (value.intValue ?? Int(value.displayText) ?? 1) < 0 ? -1 : 1
        }
        let sorted = rows.enumerated().sorted { a, b in
            let order = compare(a.element[field], b.element[field])
            if order != 0 { return direction < 0 ? order > 0 : order < 0 }
            return a.offset < b.offset
        }.map(\.element)
        var data: [(String, JSONValue)] = [
            (
                "pagination",
                .object([
                    ("start", .number(Double(start))), ("count", .number(Double(count))),
                    ("sorting", .object([(field, .number(Double(direction)))])),
                    ("total", .number(Double(rows.count))),
                ])
            ),
            ("data", .array(Array(sorted.dropFirst(start).prefix(count)))),
        ]
        if let target { data += [("target", .string(target)), ("useGroupBy", .bool(false))] }
        return envelope(200, success: 1, message: message, data: .object(data))
    }

    /// The rows whose time (`starttime`, else `date`, else `start`: Jalali, api-v4.md §5.1) lies in
    /// a request's `date_range` (§7.3: Gregorian `YYYY-MM-DD HH:MM`, minutes precision), both ends'
    /// minutes included; an absent, empty or unreadable end does not filter.
    static func within(_ range: JSONValue?, _ rows: [JSONValue]) -> [JSONValue] {
        func bound(_ v: JSONValue?) -> Date? { v?.stringValue.flatMap { SimotelDates.parseGregorian($0) } }
        let from = bound(range?["from"])
        let to = bound(range?["to"]).map { $0.addingTimeInterval(60) }  // the whole last minute
        guard from != nil || to != nil else { return rows }
        return rows.filter { row in
            guard let time = SimotelDates.instant(row["starttime"] ?? row["date"] ?? row["start"]) else { return false }
            return (from.map { time >= $0 } ?? true) && (to.map { time < $0 } ?? true)
        }
    }

    /// -1, 0 or 1: missing values first, numbers (and numeric strings) by value, else text.
    static func compare(_ a: JSONValue?, _ b: JSONValue?) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?):
            if let p = number(x), let q = number(y) { return p < q ? -1 : (p > q ? 1 : 0) }
            let s = x.displayText
            let t = y.displayText
            return s < t ? -1 : (s > t ? 1 : 0)
        }
    }

    static func number(_ v: JSONValue) -> Double? {
        if let ms = v["$date"]?["$numberLong"]?.stringValue { return Double(ms) }  // extended-JSON dates by time
        switch v {
        case .number(let d): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }
}
