import Foundation
import SimotelKit

/// One event webhook as it arrived and was understood.
public struct ReceivedEvent: Sendable {
    public var sequence: Int
    public var receivedAt: Date
    public var remoteAddress: String
    public var method: String
    /// The request target as sent (path and query).
    public var uri: String
    /// The path below the listener's prefix (`/NewState` for Rest, `/` for G).
    public var suffix: String
    /// How it was delivered: `G4/POST`, `Rest4/GET`, `G3/POST-form`, ...
    public var variant: String
    public var name: String
    /// The fields: the JSON body, or the query/form parameters as strings.
    public var payload: JSONValue
    public var contentType: String?
    public var body: [UInt8]

    /// A field by name, falling back to the names the docs use for the same thing
    /// (`unique_id`/`cuid`, `starttime`/`start_time`, ...).
    public func field(_ name: String) -> JSONValue? {
        if let v = payload[name] { return v }
        for alias in EventCatalog.aliases[name] ?? [] {
            if let v = payload[alias] { return v }
        }
        return nil
    }

    /// Whether a field has this value, comparing text so that `9` and `"9"` match.
    public func matches(_ name: String, _ value: String) -> Bool {
        guard let v = field(name) else { return false }
        return v.displayText == value
    }

    /// The fields a person wants first, as `key=value`.
    public var keyFieldText: String {
        let keys = EventCatalog.kind(named: name)?.keyFields ?? []
        var parts: [String] = []
        for key in keys {
            if let v = field(key), !v.isNull, v.displayText != "" { parts.append("\(key)=\(v.displayText)") }
        }
        if parts.isEmpty, case .object(let pairs) = payload {
            for (k, v) in pairs.prefix(4) where k != "event_name" && k != "event" {
                parts.append("\(k)=\(v.displayText)")
            }
        }
        return parts.joined(separator: " ")
    }

    /// One JSON object: the log line and `--format json`.
    public var json: JSONValue {
        .object([
            ("seq", .number(Double(sequence))),
            ("time", .string(Self.isoFormatter.string(from: receivedAt))),
            ("remote", .string(remoteAddress)),
            ("method", .string(method)),
            ("path", .string(uri)),
            ("variant", .string(variant)),
            ("name", .string(name)),
            ("payload", payload),
        ])
    }

    static let isoFormatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}
