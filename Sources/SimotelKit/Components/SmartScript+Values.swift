import Foundation

/// The values of §6.5 that have a form: the documented formats, then values no clock or
/// calendar has (`SayClock('25:61')`, `SayDate('1395-13-45', 'jalali')`).
extension SmartScript {
    /// What is wrong with a command's values: each names the command, at its column.
    static func valueMistakes(_ c: Command) -> [Mistake] {
        func text(_ i: Int) -> String? {
            guard i < c.arguments.count, case .string(let s) = c.arguments[i] else { return nil }
            return s
        }
        var out: [Mistake] = []
        func check(_ problem: String?) { if let problem { out.append(Mistake(column: c.column, message: problem)) } }
        switch c.name {
        case "SayDuration":
            if let s = text(0), !matches(s, #"^\d+\.\d{1,2}:\d{1,2}:\d{1,2}$"#) {
                check("SayDuration wants 'd.HH:MM:SS', not '\(s)'")
            }
        case "SayClock":
            guard let s = text(0) else { break }
            guard matches(s, #"^\d{1,2}:\d{2}(:\d{2})?$"#) else {
                check("SayClock wants 'HH:MM:SS' or 'HH:MM', not '\(s)'")
                break
            }
            check(clockProblem(s).map { "SayClock('\(s)'): \($0)" })
        case "SayDate":
            let calendar = text(1)
            if let calendar, !calendars.contains(calendar) {
                check("SayDate's calendar is gregorian, jalali or hijri, not '\(calendar)'")
            }
            guard let s = text(0) else { break }
            guard matches(s, #"^\d{4}-\d{2}-\d{2}$"#) else {
                check("SayDate wants 'YYYY-MM-DD', not '\(s)'")
                break
            }
            let known = calendar.flatMap { calendars.contains($0) ? $0 : nil }
            let shown = "SayDate('\(s)'" + (calendar.map { ",'\($0)'" } ?? "") + ")"
            check(dateProblem(s, calendar: known).map { "\(shown): \($0)" })
        case "PlayAnnouncement", "GetData":
            if let s = text(0), s.hasPrefix(":") { check("an announcement id is written 'id:…', not '\(s)'") }
        default: break
        }
        return out
    }

    /// SayDate's calendars (§6.5).
    static let calendars = ["gregorian", "jalali", "hijri"]

    static func matches(_ s: String, _ pattern: String) -> Bool {
        s.range(of: pattern, options: .regularExpression) != nil
    }

    /// A clock time already in the form `H:MM` or `HH:MM:SS`: what no clock shows (hour 0–23,
    /// minute and second 0–59), nil when it is a time of day.
    static func clockProblem(_ s: String) -> String? {
        let parts = s.split(separator: ":").map { Int($0) ?? 0 }
        var problems: [String] = []
        if parts[0] > 23 { problems.append("hour \(parts[0]) is not 0–23") }
        if parts[1] > 59 { problems.append("minute \(parts[1]) is not 0–59") }
        if parts.count > 2, parts[2] > 59 { problems.append("second \(parts[2]) is not 0–59") }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }

    /// A date already in the form `YYYY-MM-DD`: a month not 1–12 or a day its month does not
    /// have in `calendar` (when the calendar is not known, any month has 31 days), nil when it
    /// is a day of that calendar.
    static func dateProblem(_ s: String, calendar: String?) -> String? {
        let parts = s.split(separator: "-").map { Int($0) ?? 0 }
        let (year, month, day) = (parts[0], parts[1], parts[2])
        guard (1...12).contains(month) else {
            // The day too, against the longest month: both mistakes at once, as SayClock's.
            return "month \(month) is not 1–12" + ((1...31).contains(day) ? "" : ", day \(day) is not 1–31")
        }
        let days = daysIn(month: month, year: year, calendar: calendar)
        guard (1...days).contains(day) else {
            let whose = calendar.map { "month \(month) of the \($0) year \(year)" } ?? "a month"
            return "day \(day) is not 1–\(days): \(whose) has \(days) days"
        }
        return nil
    }

    /// The days of a month: Gregorian as usual; Jalali 31 in months 1–6, 30 in 7–11, and 29 in
    /// Esfand, 30 in a leap year (the 33-year rule: 1395, 1399, 1403, 1408 are leap years);
    /// Hijri months have 29 or 30 days as the moon is seen, so 30 is allowed in each.
    static func daysIn(month: Int, year: Int, calendar: String?) -> Int {
        switch calendar {
        case "gregorian":
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            return days[month - 1]
        case "jalali":
            if month <= 6 { return 31 }
            if month <= 11 { return 30 }
            return [1, 5, 9, 13, 17, 22, 26, 30].contains(year % 33) ? 30 : 29
        case "hijri": return 30
        default: return 31
        }
    }
}
