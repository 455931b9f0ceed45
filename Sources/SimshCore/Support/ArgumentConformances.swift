import ArgumentParser
import SimotelKit

extension AuthMode: ExpressibleByArgument {}
extension OutputMode: ExpressibleByArgument {}

/// A duration option (`1.5`, `500ms`, `2s`).
public struct DurationArgument: ExpressibleByArgument, Sendable {
    public var seconds: Double
    public init?(argument: String) {
        guard let s = DurationParser.seconds(argument) else { return nil }
        seconds = s
    }
    public init(seconds: Double) { self.seconds = seconds }
    public var defaultValueDescription: String { "\(seconds)s" }
}
