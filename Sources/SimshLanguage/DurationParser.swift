import Foundation

/// Reads durations as people write them: `1.5` (seconds), `500ms`, `2s`, `1m`, `2h`, `7d`.
public enum DurationParser {
    /// The longest duration taken anywhere (a year): longer ones are mistakes, and would not fit
    /// the clocks' integer nanoseconds.
    public static let maximum: Double = 366 * 86400

    /// Seconds, or nil when the text is not a duration (or longer than `maximum`).
    public static func seconds(_ text: String) -> Double? {
        guard let s = parse(text), s <= maximum else { return nil }
        return s
    }

    static func parse(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            let number = String(t.dropLast(suffix.count))
            if suffix == "s" && number.hasSuffix("m") { continue }
            guard let v = Double(number), v.isFinite, v >= 0 else { return nil }
            return v * factor
        }
        guard let v = Double(t), v.isFinite, v >= 0 else { return nil }
        return v
    }
}
