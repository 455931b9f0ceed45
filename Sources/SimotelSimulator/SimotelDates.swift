import Foundation
import SimotelKit

/// Dates as Simotel writes them (api-v4.md §5.1): stored times (`date`, `start`, `starttime`,
/// `endtime`) are Jalali (Solar Hijri) strings such as `"1402-04-28 19:02:00"`; a CDR's `answer`,
/// a request's `date_range` and a campaign's `start`/`end` as sent are Gregorian; some answers
/// carry extended-JSON dates `{"$date":{"$numberLong":"<ms>"}}`. All in the server's time zone.
/// The calendars are Foundation's (`Calendar(identifier: .persian)`), never a hand-made conversion.
enum SimotelDates {
    static func calendar(_ identifier: Calendar.Identifier, _ zone: TimeZone) -> Calendar {
        var c = Calendar(identifier: identifier)
        c.timeZone = zone
        c.locale = Locale(identifier: "en_US_POSIX")
        return c
    }

    static let parts: Set<Calendar.Component> = [.year, .month, .day, .hour, .minute, .second]

    static func text(_ date: Date, _ identifier: Calendar.Identifier, seconds: Bool, zone: TimeZone) -> String {
        let c = calendar(identifier, zone).dateComponents(parts, from: date)
        let day = String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
        return seconds ? day + String(format: ":%02d", c.second!) : day
    }

    /// `"1400-01-01 12:00:00"` (or without seconds).
    static func jalali(_ date: Date, seconds: Bool = true, zone: TimeZone = .current) -> String {
        text(date, .persian, seconds: seconds, zone: zone)
    }

    /// `"2021-03-21 12:00:00"` (or without seconds).
    static func gregorian(_ date: Date, seconds: Bool = true, zone: TimeZone = .current) -> String {
        text(date, .gregorian, seconds: seconds, zone: zone)
    }

    /// `YYYY-MM-DD HH:MM[:SS]` in a calendar, or nil when it is not one.
    static func parse(_ text: String, _ identifier: Calendar.Identifier, zone: TimeZone) -> Date? {
        let fields = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { "- :".contains($0) })
        guard fields.count == 5 || fields.count == 6, fields[0].count == 4 else { return nil }
        let n = fields.compactMap { Int($0) }
        guard n.count == fields.count, (1...12).contains(n[1]), (1...31).contains(n[2]), (0...23).contains(n[3]),
            (0...59).contains(n[4]), n.count == 5 || (0...59).contains(n[5])
        else { return nil }
        let c = DateComponents(
            year: n[0], month: n[1], day: n[2], hour: n[3], minute: n[4], second: n.count == 6 ? n[5] : 0)
        let cal = calendar(identifier, zone)
        guard let date = cal.date(from: c) else { return nil }
        // A day the month does not have (1400-12-31) would roll over: refused instead.
        let back = cal.dateComponents([.year, .month, .day], from: date)
        return back.year == n[0] && back.month == n[1] && back.day == n[2] ? date : nil
    }

    static func parseJalali(_ text: String, zone: TimeZone = .current) -> Date? { parse(text, .persian, zone: zone) }
    static func parseGregorian(_ text: String, zone: TimeZone = .current) -> Date? {
        parse(text, .gregorian, zone: zone)
    }

    /// `{"$date":{"$numberLong":"1669962473534"}}`.
    static func extended(_ date: Date) -> JSONValue {
        let ms = Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded()) ?? 0
        return .object([("$date", .object([("$numberLong", .string(String(ms)))]))])
    }

    /// The instant a stored value names: a Jalali string or an extended-JSON date.
    static func instant(_ value: JSONValue?, zone: TimeZone = .current) -> Date? {
        // Within JavaScript's dates (±8.64e15 ms), as Mongo's: NaN, inf or 1e30 name no instant.
        if let ms = value?["$date"]?["$numberLong"]?.stringValue, let n = Double(ms), n.isFinite,
            abs(n) <= 8.64e15
        {
            return Date(timeIntervalSince1970: n / 1000)
        }
        return value?.stringValue.flatMap { parseJalali($0, zone: zone) }
    }
}
