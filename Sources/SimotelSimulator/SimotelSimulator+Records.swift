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

    static func recordService(_ spec: EndpointSpec) -> Service? {
        let (resource, action) = Self.split(spec.path)
        switch action {
        case "add": return Service(methods: ["POST"]) { sim, body in sim.add(spec, resource, body) }
        case "search": return Service(methods: ["POST"]) { sim, body in sim.search(spec, resource, body) }
        case "update": return Service(methods: ["POST"]) { sim, body in sim.update(spec, resource, body) }
        case "remove": return Service(methods: ["POST"]) { sim, body in sim.remove(resource, body) }
        default: return nil
        }
    }

    /// The first field marked R that is absent or empty, answered as Simotel does (api-v4.md §6:
    /// `success` 0, `Field 'NAME':value is missing`; a nested field by its dotted name). A search
    /// by `conditions.cuid` needs no `date_range` (§8.12.1: the documented lookup sends `{}`).
    func missingField(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse? {
        let byCuid = !(body["conditions"]?["cuid"]?.displayText ?? "").isEmpty
        for f in spec.fields where f.need == .required && !(byCuid && f.name.hasPrefix("date_range.")) {
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
        record = Self.shaped(resource, record.setting("date", to: .string(Self.recordDate())))
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
        rows = rows.map { presented(resource, $0) }
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
            return Self.shaped(resource, r)
        }
        guard let updated else { return Self.envelope(200, success: 0, message: SimulatorMessages.operationFailed) }
        switch resource {
        case "autodialer/groups":
            // The group as stored, its date as an extended-JSON date (§8.13.2).
            var group = JSONValue.object([])
            if case .object(let pairs) = updated {
                for (k, v) in pairs where k != "_id" {
                    group = group.setting(
                        k, to: k == "date" ? SimotelDates.instant(v).map(SimotelDates.extended) ?? v : v)
                }
            }
            return Self.envelope(200, success: 1, message: "Requested operation is done successfully", data: group)
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
            return Self.envelope(200, success: 0, message: SimulatorMessages.operationFailed)
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

    /// A record in the shape Simotel stores it (§8), from the fields a client sent:
    /// - users get `description` (and `queues` when searched: see `presented`);
    /// - a group's `count` is how many numbers it has (the client's own `count` when it sent none);
    /// - a campaign's Gregorian `start`/`end` become Jalali, with `isoStart`/`isoEnd` as extended
    ///   dates, `status` `waiting` and `repeat` 0 (a value the docs do not give);
    /// - a fax is an `outbox` row, `SENDING`, `src` the sender, `dst` the number, `trunk` and its
    ///   `channel` (`SIP/TRUNK/EXT`), as §8.11.3 shows; the mapping from the add fields is ours.
    static func shaped(_ resource: String, _ record: JSONValue) -> JSONValue {
        var r = record
        func missing(_ key: String) -> Bool { r[key] == nil }
        switch resource {
        case "pbx/users":
            if missing("description") { r = r.setting("description", to: .string("")) }
        case "autodialer/groups":
            if case .array(let numbers)? = r["numbers"] {
                r = r.setting("count", to: .number(Double(numbers.count)))
            } else if missing("count") {
                r = r.setting("count", to: .number(0))
            }
        case "autodialer/campaigns":
            for (key, iso) in [("start", "isoStart"), ("end", "isoEnd")] {
                guard let text = r[key]?.stringValue else { continue }
                // Gregorian as sent (`2021-02-19 15:17`); stored Jalali (`1399-12-01 15:17:00`).
                if let date = SimotelDates.parseGregorian(text) ?? SimotelDates.parseJalali(text),
                    SimotelDates.parseJalali(text) == nil || text.hasPrefix("20")
                {
                    r = r.setting(key, to: .string(SimotelDates.jalali(date))).setting(
                        iso, to: SimotelDates.extended(date))
                }
            }
            if missing("status") { r = r.setting("status", to: .string("waiting")) }
            if missing("repeat") { r = r.setting("repeat", to: .number(0)) }
            if missing("count") {
                let numbers = r["numbers"].flatMap { if case .array(let a) = $0 { a.count } else { nil } } ?? 0
                r = r.setting("count", to: .number(Double(numbers)))
            }
        case "pbx/faxes" where r["type"] == nil:
            let trunk = r["trunk_name"]?.displayText ?? ""
            let ext = r["ext"]?.displayText ?? ""
            var fax = JSONValue.object([
                ("_id", r["_id"] ?? .null), ("type", .string("outbox")), ("src", r["sender_id"] ?? .string("")),
                ("dst", r["to"] ?? .string("")), ("status", .string("SENDING")), ("file", r["file"] ?? .string("")),
                ("description", r["description"] ?? .string("")), ("date", r["date"] ?? .null), ("ext", .string(ext)),
                ("trunk", .string(trunk)), ("channel", .string("SIP/\(trunk)/\(ext)")),
            ])
            if let text = r["text"] { fax = fax.setting("text", to: text) }
            r = fax
        default: break
        }
        return r
    }

    /// A stored record as a search shows it: secrets masked; a user with the queues it is an
    /// agent of (`queues`: their numbers; the docs do not show the element's shape).
    func presented(_ resource: String, _ record: JSONValue) -> JSONValue {
        var r = Self.masked(record)
        if resource == "pbx/users" {
            let number = r["number"]?.displayText ?? ""
            let queues = store.all("pbx/queue_agents").filter { $0["agent"]?.displayText == number }.compactMap {
                $0["queue"]
            }
            r = r.setting("queues", to: .array(queues))
        }
        return r
    }

    /// Secrets are masked in search results (api-v4.md §5.1).
    static func masked(_ record: JSONValue) -> JSONValue {
        record["secret"] != nil ? record.setting("secret", to: .string("******")) : record
    }

    /// Records carry their date as the server writes it: Jalali, to the second (api-v4.md §5.1).
    static func recordDate(_ date: Date = Date()) -> String { SimotelDates.jalali(date) }
}
