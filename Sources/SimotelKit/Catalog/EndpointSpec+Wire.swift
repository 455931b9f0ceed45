/// How the catalog's rows go on the wire: where services live, how a field typed by its short
/// name reaches the body, what a search needs but people rarely type, paging and the columns a
/// result table shows (api-v4.md §5–§8). The shell and the simulator read this; neither knows
/// these details on its own.
public enum SimotelAPI {
    /// Every service lives under it (api-v4.md §1).
    public static let prefix = "/api/v4/"

    /// `pbx/users/search` from `/api/v4/pbx/users/search/`, `api/v4/pbx/users/search` or a whole URL.
    public static func servicePath(_ text: String) -> String {
        var p = Substring(text)
        if let scheme = p.range(of: "://") {
            p = p[scheme.upperBound...]
            p = p.firstIndex(of: "/").map { p[$0...] } ?? ""
        }
        while p.hasPrefix("/") { p = p.dropFirst() }
        let bare = prefix.dropFirst()
        if p.hasPrefix(bare) { p = p.dropFirst(bare.count) }
        while p.hasSuffix("/") { p = p.dropLast() }
        return String(p)
    }

    /// Drops a trailing `/api/v4` from a server address's path (`connect http://pbx/api/v4`).
    public static func serverPath(_ path: String) -> String {
        var p = path
        while p.hasSuffix("/") { p.removeLast() }
        let bare = String(prefix.dropLast())
        if p.lowercased().hasSuffix(bare) { p.removeLast(bare.count) }
        while p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// `pagination.total` of a paged answer's `data`.
    public static func total(of data: JSONValue) -> Int? { data["pagination"]?["total"]?.intValue }
}

extension EndpointSpec {
    /// The request line as the documentation writes it: `POST /api/v4/pbx/users/add`.
    public var requestLine: String { "\(method) \(SimotelAPI.prefix)\(path)" }

    /// A field by the name a user types: `number` is `conditions.number` when the service has no
    /// top-level `number`; a dotted name under an object field (`pagination.sorting.date`) is
    /// that object's.
    public func field(typed name: String) -> FieldSpec? {
        if let f = field(name) { return f }
        if let f = field(Self.conditions + name) { return f }
        return fields.first { $0.kind == .object && name.hasPrefix($0.name + ".") }
    }

    /// The names a user types for the fields (`number`, not `conditions.number`).
    public var typedFieldNames: [String] {
        fields.map { $0.name.hasPrefix(Self.conditions) ? String($0.name.dropFirst(Self.conditions.count)) : $0.name }
    }

    /// What a search needs but people rarely type: `alike` (exact match by default), every
    /// `conditions` key of the samples as "" (no filter), `status` of users search. `given` holds
    /// the catalog names of the fields typed.
    public func withDefaults(_ body: JSONValue, given: Set<String>) -> JSONValue {
        var b = body
        for f in fields where !given.contains(f.name) {
            if f.name == "alike" {
                b = b.setting("alike", to: f.kind == .bool ? .bool(false) : .string("false"))
            } else if f.name.hasPrefix(Self.conditions), f.sample != nil {
                b = b.setting(path: f.name.split(separator: ".").map(String.init), to: .string(""))
            } else if f.name == "status", path == "pbx/users/search" {
                b = b.setting("status", to: .string("all"))
            }
        }
        return b
    }

    /// A body with the paging fields set (`pagination.start`, `.count`, `.sorting`), for
    /// services that page; others are returned unchanged.
    public func paged(_ body: JSONValue, start: Int?, count: Int?, sortBy: (field: String, descending: Bool)? = nil)
        -> JSONValue
    {
        guard paging == .pages else { return body }
        var b = body
        if let start { b = b.setting(path: ["pagination", "start"], to: .number(Double(start))) }
        if let count { b = b.setting(path: ["pagination", "count"], to: .number(Double(count))) }
        if let sortBy {
            b = b.setting(
                path: ["pagination", "sorting"], to: .object([(sortBy.field, .number(sortBy.descending ? -1 : 1))]))
        }
        return b
    }

    /// The order each paged search uses when `pagination.sorting` is `{}` (api-v4.md §7.4): one
    /// row per paged service (a test checks the table and the catalog's paged services agree).
    public static let defaultSorts: [String: (field: String, direction: Int)] = [
        "pbx/faxes/search": ("date", -1),
        "voicemails/inbox/search": ("date", -1),
        "reports/quick/search": ("starttime", -1),
        "reports/cdr": ("starttime", -1),
        "reports/cdr/search": ("starttime", -1),
        "reports/queue/search": ("starttime", -1),
        "reports/queue_details/search": ("starttime", -1),
        "reports/agent/search": ("end", -1),
        "reports/poll/search": ("date", -1),
        "autodialer/contacts/search": ("name", 1),
        "autodialer/groups/search": ("date", -1),
        "autodialer/campaigns/search": ("date", -1),
        "autodialer/reports/search": ("date", -1),
    ]

    /// This service's default order, when it is paged.
    public var defaultSorting: (field: String, direction: Int)? { Self.defaultSorts[path] }

    static let conditions = "conditions."
}

extension EndpointCatalog {
    /// The columns a result table shows for the rows a service path answers (empty: the rows' own keys).
    public static func tableColumns(forPath path: String) -> [String] {
        tableColumns.first { path.hasPrefix($0.0) }?.1 ?? []
    }

    /// Per resource, the few columns that matter in a result table.
    static let tableColumns: [(String, [String])] = [
        ("pbx/users", ["number", "name", "active", "user_type", "context", "_id"]),
        ("pbx/trunks", ["name", "trunk_type", "host", "active", "_id"]),
        ("pbx/queues", ["number", "name", "strategy", "_id"]),
        ("pbx/musiconholds", ["name", "count", "_id"]),
        ("pbx/announcements", ["name", "filename", "comment", "_id"]),
        ("voicemails/voicemails", ["number", "name", "email", "_id"]),
        ("voicemails/inbox", ["date", "number", "caller_id", "duration", "filename"]),
        ("pbx/blacklists", ["number", "comment", "_id"]),
        ("pbx/whitelists", ["number", "labels", "comment", "_id"]),
        ("pbx/faxes", ["date", "type", "src", "dst", "status", "_id"]),
        ("reports/quick", ["starttime", "src", "dst", "type", "disposition", "billsec", "cuid"]),
        ("reports/cdr", ["starttime", "src", "dst", "type", "disposition", "billsec", "cuid"]),
        ("reports/queue", ["starttime", "qnum", "src", "dst", "disposition", "wait", "billsec"]),
        ("reports/agent", ["start", "end", "exten", "qnum", "type", "duration"]),
        ("reports/poll", ["date", "src", "dst", "label", "point", "qnum"]),
        ("autodialer/contacts", ["name", "number", "description", "_id"]),
        ("autodialer/groups", ["name", "count", "description", "_id"]),
        ("autodialer/campaigns", ["name", "status", "start", "end", "_id"]),
        ("autodialer/announcements", ["name", "filename", "_id"]),
        ("autodialer/trunks", ["title", "status", "capacity", "_id"]),
        ("autodialer/reports", ["date", "campaign", "number", "disposition", "try", "billsec"]),
    ]
}
