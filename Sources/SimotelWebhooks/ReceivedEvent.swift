import Foundation
import SimotelKit

/// One event webhook as it arrived and was understood. A class: the store's ring, the log, the
/// waiters and the shell share one copy (a retain), not a dozen references copied each time.
public final class ReceivedEvent: Sendable {
    public let sequence: Int
    public let receivedAt: Date
    public let remoteAddress: String
    public let method: String
    /// The request target as sent (path and query).
    public let uri: String
    /// The path below the listener's prefix (`/NewState` for Rest, `/` for G).
    public let suffix: String
    /// How it was delivered: `G4/POST`, `Rest4/GET`, `G3/POST-form`, ...
    public let variant: String
    public let name: String
    /// The fields: the JSON body, or the query/form parameters as strings.
    public var payload: JSONValue { fields.value }
    private let fields: LazyJSON
    public let contentType: String?
    public let body: [UInt8]
    /// For a component request (`Component`): the JSON reply the listener sent.
    public let reply: JSONValue?
    /// Set when the body was not JSON but what a documented sample prints, read as the JSON it
    /// means (`payload`); `body` stays as it came.
    public let lenient: LenientJSON.Quirk?
    /// The event store's number for it, when a store keeps it (stable across sessions).
    public let record: Int64?

    /// The number a person sees and names (`#N`, `events show N`): the store's when the store
    /// keeps it, else the session's own.
    public var number: Int { record.map { Int($0) } ?? sequence }

    public init(
        sequence: Int, receivedAt: Date, remoteAddress: String, method: String, uri: String, suffix: String,
        variant: String, name: String, payload: LazyJSON, contentType: String?, body: [UInt8], reply: JSONValue?,
        lenient: LenientJSON.Quirk? = nil, record: Int64? = nil
    ) {
        self.sequence = sequence
        self.receivedAt = receivedAt
        self.remoteAddress = remoteAddress
        self.method = method
        self.uri = uri
        self.suffix = suffix
        self.variant = variant
        self.name = name
        self.fields = payload
        self.contentType = contentType
        self.body = body
        self.reply = reply
        self.lenient = lenient
        self.record = record
    }

    /// The name a dialplan component's request is recorded under (webhooks.md §6).
    public static let componentName = "Component"

    /// A field by name, falling back to the names the docs use for the same thing
    /// (`unique_id`/`cuid`, `starttime`/`start_time`, ...: `FieldAliases`).
    public func field(_ name: String) -> JSONValue? {
        FieldAliases.value(name, in: payload)
    }

    /// Whether a field has this value, comparing text so that `9` and `"9"` match.
    public func matches(_ name: String, _ value: String) -> Bool {
        if name == "seq", field(name) == nil { return String(number) == value }
        guard let v = field(name) else { return false }
        return v.displayText == value
    }

    /// The fields a person wants first, as `key=value`.
    public var keyFieldText: String {
        let keys =
            name == Self.componentName
            ? ["app_name", "src", "dst", "data"] : EventCatalog.kind(named: name)?.keyFields ?? []
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
        var members: [(String, JSONValue)] = [
            ("seq", .number(Double(number))),
            ("time", .string(Self.timestamp(receivedAt))),
            ("remote", .string(remoteAddress)),
            ("method", .string(method)),
            ("path", .string(uri)),
            ("variant", .string(variant)),
            ("name", .string(name)),
        ]
        if let lenient { members.append(("lenient", .string(lenient.rawValue))) }
        members.append(("payload", payload))
        if let reply { members.append(("reply", reply)) }
        return .object(members)
    }

    /// The log line (`json` on one line, then a newline), built byte by byte: it is written for
    /// every event before it is answered. A one-line JSON body is copied as it came (the strict
    /// parser accepted it) instead of being serialised again; one read leniently is written as
    /// the JSON it means, after `"lenient"` saying what it was.
    public var logLine: [UInt8] {
        var out: [UInt8] = []
        appendLogLine(to: &out)
        return out
    }

    /// Appends `logLine` to `out`; `time` is `receivedAt` as the log writes it, when the caller
    /// has it already (the events of one batch share it).
    public func appendLogLine(to out: inout [UInt8], time: String? = nil, numbered: Bool = true) {
        // Growing geometrically: a batch's lines share one array, and an exact reserve per line
        // would copy the whole batch again for every line.
        let need = out.count + body.count + uri.utf8.count + 200
        if need > out.capacity { out.reserveCapacity(max(need, out.capacity * 2)) }
        if numbered {
            out += #"{"seq":"#.utf8
            out += String(number).utf8
            out += #","time":""#.utf8
        } else {
            out += #"{"time":""#.utf8
        }
        out += (time ?? Self.timestamp(receivedAt)).utf8
        out += #"","remote":"#.utf8
        JSONValue.appendQuoted(remoteAddress, to: &out)
        out += #","method":"#.utf8
        JSONValue.appendQuoted(method, to: &out)
        out += #","path":"#.utf8
        JSONValue.appendQuoted(uri, to: &out)
        out += #","variant":"#.utf8
        JSONValue.appendQuoted(variant, to: &out)
        out += #","name":"#.utf8
        JSONValue.appendQuoted(name, to: &out)
        if let lenient {
            out += #","lenient":"#.utf8
            JSONValue.appendQuoted(lenient.rawValue, to: &out)
        }
        out += #","payload":"#.utf8
        let isJSONBody =
            lenient == nil && body.first == UInt8(ascii: "{") && !body.contains(0x0A) && !body.contains(0x0D)
            && contentType.map { Self.isJSONType($0) } == true
        if isJSONBody { out += body } else { out += payload.serialized().utf8 }
        out += "}\n".utf8
    }

    static func isJSONType(_ type: String) -> Bool {
        if type == "application/json" { return true }  // as nearly every webhook says it
        let prefix = "application/json".utf8
        return type.utf8.count >= prefix.count
            && zip(type.utf8, prefix).allSatisfy { a, b in (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b }
    }

    /// `2026-11-26T19:16:23.012Z` (UTC, milliseconds): cheap enough for every logged event.
    public static func timestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        let millis = Int((t - Double(seconds)) * 1000)
        var tm = tm()
        gmtime_r(&seconds, &tm)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T"
            + "\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}
