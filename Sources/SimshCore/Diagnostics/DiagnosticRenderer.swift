/// Renders errors in one place: `file.simsh:12:5: error: message`, red on a colour terminal.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    public func render(_ error: SimshError) -> String {
        let label = color ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
        if let location = error.location {
            let place = color ? "\u{1B}[1m\(location):\u{1B}[0m" : "\(location):"
            return "\(place) \(label) \(error.message)"
        }
        return "\(label) \(error.message)"
    }

    public func note(_ text: String) -> String {
        (color ? "\u{1B}[1;36mnote:\u{1B}[0m " : "note: ") + text
    }

    public func warning(_ text: String) -> String {
        (color ? "\u{1B}[1;33mwarning:\u{1B}[0m " : "warning: ") + text
    }
}
