import NIOConcurrencyHelpers
import SimotelKit

/// The replies the session's listener gives dialplan components (`answer`): one rule per
/// component name (`app_name`), read on the event loop as requests arrive.
public final class AnswerRules: Sendable {
    public struct Rule: Sendable {
        public var kind: ComponentKind
        public var name: String
        public var reply: JSONValue
    }

    private let rules = NIOLockedValueBox([Rule]())

    public init() {}

    public var all: [Rule] { rules.withLockedValue { $0 } }

    /// Sets the rule for a component name (replacing one there was).
    public func set(_ rule: Rule) {
        rules.withLockedValue { list in
            list.removeAll { $0.name == rule.name }
            list.append(rule)
        }
    }

    /// Removes a rule; false when there was none.
    public func remove(_ name: String) -> Bool {
        rules.withLockedValue { list in
            let before = list.count
            list.removeAll { $0.name == name }
            return list.count != before
        }
    }

    /// The reply for a request's payload, by its `app_name`.
    public func reply(to payload: JSONValue) -> JSONValue? {
        guard let name = payload["app_name"]?.stringValue else { return nil }
        return rules.withLockedValue { list in list.last { $0.name == name }?.reply }
    }
}
