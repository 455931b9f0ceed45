import Foundation
import SimotelKit

/// A duration as options and settings give it (`1.5`, `500ms`, `2s`).
public struct DurationArgument: Sendable, Equatable {
    public var seconds: Double
    public init?(argument: String) {
        guard let s = DurationParser.seconds(argument) else { return nil }
        seconds = s
    }
    public init(seconds: Double) { self.seconds = seconds }
    public var defaultValueDescription: String { "\(seconds)s" }
}

/// A size as options and settings give it (`65536`, `512KiB`, `64MiB`, `1GiB`; `KB`/`MB`/`GB` and `K`/`M`/`G` mean the same).
public struct ByteSizeArgument: Sendable, Equatable {
    public var bytes: Int
    public init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let n = Int(digits) else { return nil }
        let unit = text.dropFirst(digits.count).lowercased()
        let shifts: [String: Int] = [
            "": 0, "b": 0, "k": 10, "kb": 10, "kib": 10, "m": 20, "mb": 20, "mib": 20, "g": 30, "gb": 30, "gib": 30,
        ]
        guard let shift = shifts[unit], n > 0, n <= (Int.max >> shift) else { return nil }
        bytes = n << shift
    }
    public init(bytes: Int) { self.bytes = bytes }
    public var defaultValueDescription: String { ByteSize.text(bytes) }
}

extension DurationArgument {
    /// `5s`, `1.5s`, `500ms`.
    public var text: String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
