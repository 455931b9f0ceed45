import Foundation
import HTTPServerKit
import SimotelKit

/// Turns a request into an event, whatever delivery variant Simotel used (webhooks.md §2):
/// G (one URL) or Rest (event name as the last path segment); GET with query parameters;
/// POST with a JSON body (v4); POST with a form body or query parameters (v2/v3).
public enum WebhookDecoder {
    public enum Failure: Error, Equatable {
        case notFound
        case methodNotAllowed
        case badRequest(String)
    }

    public struct Decoded: Equatable, Sendable {
        public var name: String
        public var variant: String
        public var suffix: String
        /// The fields, parsed when first read.
        public var fields: LazyJSON
        /// Set when the body was not JSON but a documented sample's kind of text, read as the
        /// JSON it means (`LenientJSON`).
        public var lenient: LenientJSON.Quirk? = nil
        public var payload: JSONValue { fields.value }

        public static func == (a: Decoded, b: Decoded) -> Bool {
            a.name == b.name && a.variant == b.variant && a.suffix == b.suffix && a.lenient == b.lenient
                && a.payload == b.payload
        }
    }

    /// The fields that name an event (`eventName`): all that is read of a JSON body at once.
    static let namingKeys = ["event_name", "event", "app_name", "campaign_id", "tries", "disposition"]

    /// Where an event was sent below the listener's path, and the event a Rest suffix names.
    typealias Address = (suffix: String, restName: String?)

    /// `prefix` is the listener's path (`/` or `/hooks`). Unless `strict`, a JSON body that is
    /// not RFC 8259 JSON but what Simotel's own samples print (a Python literal, a bare number
    /// with a leading zero) is read as the JSON it means, and `lenient` says so.
    public static func decode(_ request: ServerRequest, prefix: String, strict: Bool = false) throws(Failure)
        -> Decoded
    {
        let method = request.method == "POST" || request.method == "GET" ? request.method : request.method.uppercased()
        guard method == "GET" || method == "POST" else { throw .methodNotAllowed }
        let address = try Self.address(of: request.path, prefix: prefix)
        let pairs = parseForm(request.query ?? "")
        guard method == "POST" else {
            return try decodeFields(pairs, version: "4", how: method, at: address, lenient: nil)
        }
        let media = request.mediaType
        let bodyIsBlank = request.body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if media == "application/json" || (media == nil && !bodyIsBlank && request.body.first == UInt8(ascii: "{")) {
            return try decodeJSON(request.body, query: pairs, strict: strict, at: address)
        }
        if !bodyIsBlank {
            // v2/v3 send "parameters, like GET": a form body. Other media types are not events.
            let form = try formFields(request.body, media: media)
            return try decodeFields(form + pairs, version: "3", how: "POST-form", at: address, lenient: nil)
        }
        return try decodeFields(pairs, version: "3", how: "POST-query", at: address, lenient: nil)
    }

    /// The suffix of `path` below `prefix` and the event a Rest suffix names; 404 for any other path.
    static func address(of path: String, prefix: String) throws(Failure) -> Address {
        let base = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        guard path == base || path.hasPrefix(base + "/") else { throw .notFound }
        var suffix = String(path.dropFirst(base.count))
        if suffix.isEmpty { suffix = "/" }
        // Only the G path itself (`/`) and the Rest form (`/EventName`, any case, a trailing `/`
        // allowed) are addresses Simotel sends to; anything else (`/favicon.ico`, `/.env`) is 404.
        let segments = suffix.split(separator: "/", omittingEmptySubsequences: true)
        var restName: String?
        if segments.count == 1, let kind = EventCatalog.kind(named: String(segments[0])) {
            restName = kind.name
        } else if !segments.isEmpty {
            throw .notFound
        }
        return (suffix, restName)
    }

    /// A POST with a JSON body (v4), with the query's fields after the body's when there are any.
    static func decodeJSON(_ body: [UInt8], query pairs: [(String, JSONValue)], strict: Bool, at address: Address)
        throws(Failure) -> Decoded
    {
        let read = try readJSON(body, strict: strict)
        let lenient = read.lenient
        guard let checked = read.checked else { throw .badRequest("body is not a JSON object") }
        let restName = address.restName
        if pairs.isEmpty {
            // The usual case: named from a few fields, the rest parsed when read.
            let name = try eventName(
                field: { key in checked.fields.first { $0.key == key }?.value }, isEmpty: checked.count == 0,
                restName: restName)
            return Decoded(
                name: name, variant: "\(restName != nil ? "Rest" : "G")4/POST", suffix: address.suffix,
                fields: LazyJSON(checkedObject: read.text), lenient: lenient)
        }
        guard case .object(let fields) = try? JSONValue.parse(read.text) else {
            throw .badRequest("body is not valid JSON")
        }
        let merged: [(String, JSONValue)] = fields + pairs.filter { key, _ in !fields.contains { $0.0 == key } }
        return try decodeFields(merged, version: "4", how: "POST", at: address, lenient: lenient)
    }

    /// The fields of a form body (v2/v3); 400 for another media type or a body that is not form fields.
    static func formFields(_ body: [UInt8], media: String?) throws(Failure) -> [(String, JSONValue)] {
        guard media == nil || media == "application/x-www-form-urlencoded" else {
            throw .badRequest("unsupported Content-Type \(media!); events are JSON or form fields")
        }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .badRequest("body is not UTF-8")
        }
        guard let form = parseFormStrictly(text) else { throw .badRequest("body is not form fields") }
        return form
    }

    /// The event made of `pairs`, its variant named from its address, `version` and `how` (`G3/POST-form`).
    static func decodeFields(
        _ pairs: [(String, JSONValue)], version: String, how: String, at address: Address,
        lenient: LenientJSON.Quirk?
    ) throws(Failure) -> Decoded {
        let payload = JSONValue.object(pairs)
        let isRest = address.restName != nil
        let name = try eventName(field: { payload[$0] }, isEmpty: pairs.isEmpty, restName: address.restName)
        return Decoded(
            name: name, variant: "\(isRest ? "Rest" : "G")\(version)/\(how)", suffix: address.suffix,
            fields: LazyJSON(payload), lenient: lenient)
    }

    /// A JSON body's text and its object fields (`namingKeys`; nil: JSON, not an object), read
    /// strictly; when that fails and the listener is not strict, read as the JSON a documented
    /// sample means (`LenientJSON`): then `text` is that JSON, not the body. Unreadable: 400.
    static func readJSON(_ body: [UInt8], strict: Bool) throws(Failure) -> (
        text: [UInt8], checked: (fields: [(key: String, value: JSONValue)], count: Int)?, lenient: LenientJSON.Quirk?
    ) {
        do {
            let checked = try JSONValue.objectFields(body, keys: namingKeys)
            return (body, checked, nil)
        } catch {
            if !strict, let normalized = LenientJSON.normalize(body),
                let checked = try? JSONValue.objectFields(normalized.bytes, keys: namingKeys)
            {
                return (normalized.bytes, checked, normalized.quirk)
            }
            // The parser checks the text of every string; outside strings JSON is ASCII.
            guard String(validating: body, as: UTF8.self) != nil else { throw .badRequest("body is not UTF-8") }
            throw .badRequest("body is not valid JSON")
        }
    }

    /// `event_name`, else `event` (Survey), else the Rest path suffix, else recognised by its
    /// fields (`field`: the first field of a name, among `namingKeys`).
    static func eventName(field: (String) -> JSONValue?, isEmpty: Bool, restName: String?) throws(Failure) -> String {
        for key in ["event_name", "event"] {
            if let v = field(key)?.stringValue, !v.isEmpty { return EventCatalog.kind(named: v)?.name ?? v }
        }
        // A dialplan component's request (webhooks.md §6.1): the call's fields and the
        // component's app_name, no event name; it waits for a JSON reply.
        if field("app_name")?.stringValue != nil { return ReceivedEvent.componentName }
        if let restName { return EventCatalog.kind(named: restName)?.name ?? restName }
        if field("campaign_id") != nil, field("tries") != nil || field("disposition") != nil {
            return "AutoDialerReport"
        }
        if isEmpty { throw .badRequest("no event fields") }
        return "Unknown"
    }

    /// Form fields when every `&`-separated part is `key=value` with a key; nil otherwise.
    static func parseFormStrictly(_ text: String) -> [(String, JSONValue)]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for part in trimmed.split(separator: "&", omittingEmptySubsequences: true) {
            guard let eq = part.firstIndex(of: "="), eq != part.startIndex else { return nil }
        }
        let pairs = parseForm(trimmed)
        return pairs.isEmpty ? nil : pairs
    }

    /// `a=1&b=two+words` → ordered string pairs (percent-decoded, `+` as space).
    public static func parseForm(_ text: String) -> [(String, JSONValue)] {
        guard !text.isEmpty else { return [] }
        var result: [(String, JSONValue)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(kv[0])
            let value = kv.count > 1 ? decode(kv[1]) : ""
            if let i = result.firstIndex(where: { $0.0 == key }) {
                result[i].1 = .string(value)
            } else {
                result.append((key, .string(value)))
            }
        }
        return result
    }
}
