import Foundation
import HTTPServerKit
import SimotelKit

/// add / search / update / remove for every resource of the catalog, with the documented
/// answers (api-v4.md §5, §8): ids, duplicates refused with `success` 0, secrets masked.
extension SimotelSimulator {
    /// What makes a record unique, and the message when it is not (api-v4.md §6, §8).
    static let uniqueKeys: [String: (field: String, message: String)] = [
        "pbx/users": ("number", "This number already exists"),
        "pbx/trunks": ("name", "This trunk already exists"),
        "pbx/queues": ("number", "this queue already exists"),
        "voicemails/voicemails": ("number", "This number already exists"),
        "pbx/blacklists": ("number", "This number already exists"),
        "pbx/whitelists": ("number", "This number already exists"),
    ]

    /// `add` answers `{"_id": null}` for these (api-v4.md §5).
    static let addReturnsNullID: Set<String> = ["pbx/blacklists", "pbx/whitelists", "autodialer/contacts"]

    static func split(_ path: String) -> (resource: String, action: String) {
        guard let slash = path.lastIndex(of: "/") else { return (path, "") }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    func recordService(_ spec: EndpointSpec) -> Service? {
        let (resource, action) = Self.split(spec.path)
        switch action {
        case "add": return Service(methods: ["POST"]) { sim, body in sim.add(spec, resource, body) }
        case "search": return Service(methods: ["POST"]) { sim, body in sim.search(spec, resource, body) }
        case "update": return Service(methods: ["POST"]) { sim, body in sim.update(spec, resource, body) }
        case "remove": return Service(methods: ["POST"]) { sim, body in sim.remove(resource, body) }
        default: return nil
        }
    }

    func missingField(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse? {
        for f in spec.fields where f.need == .required {
            var v: JSONValue? = body
            for part in f.name.split(separator: ".") { v = v?[String(part)] }
            if v == nil || v == .string("") {
                return Self.envelope(200, success: 0, message: "Field '\(f.name)':value is missing")
            }
        }
        return nil
    }

    func add(_ spec: EndpointSpec, _ resource: String, _ body: JSONValue, quiet: Bool = false) -> ServerResponse {
        if let missing = missingField(spec, body) { return missing }
        if let (field, message) = Self.uniqueKeys[resource], let value = body[field]?.displayText,
            store.all(resource).contains(where: { $0[field]?.displayText == value })
        {
            return Self.envelope(200, success: 0, message: message)
        }
        let id = store.newID()
        var record = JSONValue.object([("_id", .string(id))])
        if case .object(let pairs) = body { for (k, v) in pairs where k != "_id" { record = record.setting(k, to: v) } }
        record = record.setting("date", to: .string(Self.recordDate()))
        store.insert(resource, record)
        switch quiet ? "" : resource {
        case "pbx/users":
            emit(
                .object([
                    ("event_name", .string("ExtenAdded")), ("exten", body["number"] ?? .string("")),
                    ("state", .string("Unavailable")),
                ]), name: "ExtenAdded")
        case "pbx/trunks":
            emit(
                .object([
                    ("event_name", .string("TrunkAdded")), ("state", .string("Unavailable")),
                    ("trunk_name", body["name"] ?? .string("")),
                    ("trunk_type", body["trunk_type"] ?? .string("SIP")),
                    ("date", .string(String(Date().timeIntervalSince1970))),
                ]), name: "TrunkAdded")
        default: break
        }
        let data: JSONValue =
            Self.addReturnsNullID.contains(resource) ? .object([("_id", .null)]) : .object([("_id", .string(id))])
        return Self.envelope(200, success: 1, message: "Requested operation is done successfully", data: data)
    }

    func search(_ spec: EndpointSpec, _ resource: String, _ body: JSONValue) -> ServerResponse {
        let alike =
            body["alike"].map { $0 == .bool(true) || $0.displayText.lowercased() == "true" || $0.displayText == "1" }
            ?? false
        var rows = store.all(resource).filter { record in
            guard case .object(let conditions)? = body["conditions"] else { return true }
            return conditions.allSatisfy { key, wanted in
                let w = wanted.displayText
                guard !w.isEmpty else { return true }
                let have = record[key]?.displayText ?? ""
                return alike ? have.localizedCaseInsensitiveContains(w) : have == w
            }
        }
        rows = rows.map(Self.masked)
        guard spec.paging == .pages else { return Self.envelope(200, success: 1, message: "", data: .array(rows)) }
        return Self.page(rows, body, spec: spec, message: "")
    }

    func update(_ spec: EndpointSpec, _ resource: String, _ body: JSONValue) -> ServerResponse {
        guard let id = body["_id"]?.stringValue, !id.isEmpty else {
            return Self.envelope(200, success: 0, message: "Field '_id':value is missing")
        }
        let updated = store.update(resource, id: id) { record in
            var r = record
            if case .object(let pairs) = body { for (k, v) in pairs where k != "_id" { r = r.setting(k, to: v) } }
            return r
        }
        guard let updated else { return Self.envelope(200, success: 0, message: "Requested operation failed") }
        switch resource {
        case "autodialer/groups":
            return Self.envelope(200, success: 1, message: "Requested operation is done successfully", data: updated)
        case "autodialer/campaigns":
            return Self.envelope(
                200, success: 1, message: "Requested operation is done successfully",
                data: .object([("count", .number(0))]))
        default:
            return Self.envelope(
                200, success: 1, message: "Requested operation is done successfully", data: .string(""))
        }
    }

    func remove(_ resource: String, _ body: JSONValue) -> ServerResponse {
        guard let id = body["_id"]?.stringValue, !id.isEmpty else {
            return Self.envelope(200, success: 0, message: "Field '_id':value is missing")
        }
        guard let removed = store.remove(resource, id: id) else {
            return Self.envelope(200, success: 0, message: "Requested operation failed")
        }
        switch resource {
        case "pbx/users":
            emit(
                .object([
                    ("event_name", .string("ExtenRemoved")), ("exten", removed["number"] ?? .string("")),
                    ("state", .string("Unavailable")),
                ]), name: "ExtenRemoved")
        case "pbx/trunks":
            emit(
                .object([
                    ("event_name", .string("TrunkRemoved")), ("trunk_name", removed["name"] ?? .string("")),
                    ("date", .string(String(Date().timeIntervalSince1970))),
                ]), name: "TrunkRemoved")
        default: break
        }
        return Self.envelope(200, success: 1, message: "Requested operation is done successfully", data: .string(""))
    }

    /// Secrets are masked in search results (api-v4.md §5.1).
    static func masked(_ record: JSONValue) -> JSONValue {
        record["secret"] != nil ? record.setting("secret", to: .string("******")) : record
    }

    /// Records carry a date string like the server's (the real one is Jalali; the simulator
    /// writes the Gregorian date in the same shape).
    static func recordDate(_ date: Date = Date()) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: date)
    }
}
