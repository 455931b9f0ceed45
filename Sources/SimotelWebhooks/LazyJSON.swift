import SimotelKit
import Synchronization

/// A JSON value kept as its text and parsed the first time it is read: the listener checks an
/// event's body and finds its name without building its fields (most recorded events are never
/// looked into), and whoever reads them first parses them once for all.
public final class LazyJSON: Sendable {
    private let text: [UInt8]
    /// In the object itself: one allocation per event, not two.
    private let parsed: Mutex<JSONValue?>

    /// Text already checked to be a JSON object (`JSONValue.objectFields`).
    init(checkedObject text: [UInt8]) {
        self.text = text
        self.parsed = Mutex(nil)
    }

    public init(_ value: JSONValue) {
        self.text = []
        self.parsed = Mutex(value)
    }

    public var value: JSONValue {
        parsed.withLock { parsed in
            if let parsed { return parsed }
            let value = (try? JSONValue.parse(text)) ?? .object([])
            parsed = value
            return value
        }
    }
}
