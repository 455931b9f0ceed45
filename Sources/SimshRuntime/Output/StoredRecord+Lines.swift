import Foundation
import SimotelKit
import SimotelWebhooks
import SimshRecords

/// How stored records are shown: an event or component request as `events` shows one (with the
/// store's number), an API request as `HH:MM:SS.mmm --> POST call/originate/act [200] 12 ms`.
extension Session {
    /// One line, as `events` shows events.
    public static func describe(_ record: StoredRecord, style: Style = Style(enabled: false)) -> String {
        if record.kind != .request, let e = try? ReceivedEvent.fromStored(record) {
            return describe(e, format: .pretty, style: style)
        }
        let body = record.json
        let status = body["status"].map { " [\($0.displayText)]" } ?? ""
        let ms = body[JSONValue.elapsedName].map { " \($0.displayText) ms" } ?? ""
        var line = "\(clockTime(record.time)) --> \(record.name) [#\(record.id)]\(status)\(ms)"
        if let id = record.callID { line += "  originated_call_id=\(id)" }
        return line
    }

    /// One JSON object with `"type"`: an event (`"event"`, as `events` gives it), a component
    /// request (`"request"`), or an API request with its answer (`"answer"`).
    public static func typedJSON(_ record: StoredRecord) -> JSONValue {
        if record.kind != .request, let e = try? ReceivedEvent.fromStored(record) { return e.typedJSON }
        var members: [(String, JSONValue)] = [
            ("type", .string(LineType.answer.rawValue)), ("seq", .number(Double(record.id))),
        ]
        if case .object(let pairs) = record.json { members += pairs.filter { $0.0 != "seq" && $0.0 != "type" } }
        return .object(members)
    }
}
