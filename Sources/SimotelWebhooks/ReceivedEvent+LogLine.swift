import Foundation
import SimotelKit
import SimshRecords

extension ReceivedEvent {
    /// Why a line of an event log is not an event to send again.
    public struct LogLineError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The delivery variants' last part (`G4/POST` → `POST`) a log line can name.
    static let loggedDeliveries: Set<String> = ["POST", "GET", "POST-form", "POST-query"]

    /// An event read back from one line of an event log (`logLine`: what `listen events --log`
    /// writes), to be sent again as it arrived (`WebhookListener.send`). The log keeps the fields,
    /// not the bytes, so the request is rebuilt from the line's `variant`: a JSON body for a POST
    /// of version 4 (`G4/POST`, `Rest4/POST`), form fields for `POST-form`, no body for `GET` and
    /// `POST-query`, whose fields are in the query of the recorded `path`, kept as it came (a
    /// field that came in the query goes again in the query, not also in the body). A Rest
    /// variant's address is the recorded path's last segment (`/NewState`); a G variant's, the
    /// target URL itself. `sequence` is the line's `seq` (else `number`); `receivedAt` is now.
    public static func fromLogLine(_ line: [UInt8], number: Int) throws(LogLineError) -> ReceivedEvent {
        let json: JSONValue
        do {
            json = try JSONValue.parse(line)
        } catch {
            let why = (error as? JSONParseError).map { "\($0.reason) at byte \($0.offset + 1)" } ?? "\(error)"
            throw LogLineError(description: "not JSON (\(why))")
        }
        guard let method = json["method"]?.stringValue, let path = json["path"]?.stringValue,
            let variant = json["variant"]?.stringValue, let name = json["name"]?.stringValue,
            case .object(let fields)? = json["payload"]
        else {
            throw LogLineError(
                description: "not an event of a listener's log (it needs method, path, variant, name and payload)")
        }
        let parts = variant.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].hasPrefix("G") || parts[0].hasPrefix("Rest"),
            loggedDeliveries.contains(parts[1])
        else {
            throw LogLineError(description: "unknown variant '\(variant)' (G4/POST, Rest4/GET, G3/POST-form, …)")
        }
        let (body, contentType) = rebuiltBody(fields, delivery: parts[1], path: path)
        return ReceivedEvent(
            sequence: json["seq"]?.intValue ?? number, receivedAt: Date(),
            remoteAddress: json["remote"]?.stringValue ?? "", method: method, uri: path,
            suffix: parts[0].hasPrefix("Rest") ? restSuffix(path, name: name) : "/", variant: variant, name: name,
            payload: LazyJSON(.object(fields)), contentType: contentType, body: body, reply: json["reply"])
    }

    /// The body and Content-Type a delivery sent `fields` in, less those its query carried.
    static func rebuiltBody(_ fields: [(String, JSONValue)], delivery: String, path: String) -> (
        [UInt8], String?
    ) {
        let query = path.firstIndex(of: "?").map { String(path[path.index(after: $0)...]) } ?? ""
        let queried = WebhookDecoder.parseForm(query)
        let own = JSONValue.object(fields.filter { key, value in !queried.contains { $0.0 == key && $0.1 == value } })
        switch delivery {
        case "POST": return (Array(own.serialized().utf8), "application/json")
        case "POST-form": return (Array(WebhookSender.formEncoded(own).utf8), "application/x-www-form-urlencoded")
        default: return ([], nil)
        }
    }

    /// `/NewState` for `/hooks/NewState?x=1` (the event's name when the path has no segment).
    static func restSuffix(_ path: String, name: String) -> String {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let segment = bare.split(separator: "/").last.map(String.init) ?? name
        return "/" + segment
    }
}

extension ReceivedEvent {
    /// An event or component request read back from the event store (its body is the log line
    /// without the session's number), numbered with the store's number.
    public static func fromStored(_ record: StoredRecord) throws(LogLineError) -> ReceivedEvent {
        let e = try fromLogLine(Array(record.body.utf8), number: Int(record.id))
        let lenient = (try? JSONValue.parse(record.body))?["lenient"]?.stringValue.flatMap(LenientJSON.Quirk.init)
        return ReceivedEvent(
            sequence: Int(record.id), receivedAt: record.time, remoteAddress: e.remoteAddress, method: e.method,
            uri: e.uri, suffix: e.suffix, variant: e.variant, name: e.name, payload: LazyJSON(e.payload),
            contentType: e.contentType, body: e.body, reply: e.reply, lenient: lenient, record: record.id)
    }
}
