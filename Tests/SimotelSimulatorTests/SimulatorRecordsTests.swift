import Foundation
import SimotelKit
import Testing

@testable import SimotelSimulator

/// add → search → update → remove for every resource of the catalog, against the simulator,
/// with the documentation's sample bodies.
@Suite struct SimulatorRecordsTests {
    static var resources: [String] {
        EndpointCatalog.all.filter { $0.path.hasSuffix("/add") }.map { String($0.path.dropLast("/add".count)) }
    }

    @Test func everyResourceHasTheFourActions() {
        #expect(Self.resources.count == 12)
        for r in Self.resources {
            #expect(EndpointCatalog.endpoint(path: r + "/search") != nil, "\(r)")
            // Faxes are sent, found and downloaded; they are not edited or deleted (api-v4.md §8.11).
            #expect((EndpointCatalog.endpoint(path: r + "/update") != nil) == (r != "pbx/faxes"), "\(r)")
            #expect((EndpointCatalog.endpoint(path: r + "/remove") != nil) == (r != "pbx/faxes"), "\(r)")
        }
    }

    /// Keys §8 shows in a search row of these resources beyond what the add body holds.
    static let documentedKeys: [String: [String]] = [
        "pbx/users": ["_id", "name", "number", "secret", "description", "date", "queues"],
        "pbx/faxes": ["_id", "type", "src", "dst", "status", "file", "description", "date", "ext", "trunk", "channel"],
        "autodialer/groups": ["_id", "name", "description", "count", "date"],
        "autodialer/campaigns": [
            "_id", "name", "trunk_manager_id", "start", "end", "count", "repeat", "date", "status",
            "isoStart", "isoEnd",
        ],
    ]

    @Test(arguments: resources)
    func roundTrip(resource: String) async throws {
        try await withSimulator { sim, client in
            // A campaign names a trunk manager, which only the PBX makes (§8.13.5).
            let manager = EndpointCatalog.endpoint(path: "autodialer/campaigns/add")?.sampleBody["trunk_manager_id"]
            sim.store.insert("autodialer/trunks", .object([("_id", manager ?? .null), ("title", .string("t"))]))
            func send(_ path: String, _ body: JSONValue) async throws -> SimotelEnvelope {
                let r = try await client.send(method: "POST", path: path, body: Array(body.serialized().utf8))
                #expect(r.status == 200, "\(path)")
                return try #require(r.envelope)
            }
            let add = try #require(EndpointCatalog.endpoint(path: resource + "/add"))
            let added = try await send(add.path, add.sampleBody)
            #expect(added.success == 1, "\(resource): \(added.message ?? "")")
            let search = try #require(EndpointCatalog.endpoint(path: resource + "/search"))
            var query = search.sampleBody
            if case .object(let conditions)? = query["conditions"] {
                query = query.setting("conditions", to: .object(conditions.map { ($0.0, .string("")) }))
            }
            // The sample's date range (2020–2022) would leave out what was added today.
            if query["date_range"] != nil {
                query = query.setting(
                    "date_range",
                    to: .object([("from", .string("2020-01-01 00:00")), ("to", .string("2100-01-01 00:00"))]))
            }
            let found = try await send(search.path, query)
            let rows: [JSONValue]
            switch found.data["data"] ?? found.data {
            case .array(let r): rows = r
            default: rows = []
            }
            #expect(rows.count == 1, "\(resource)")
            for key in Self.documentedKeys[resource] ?? [] { #expect(rows.first?[key] != nil, "\(resource): \(key)") }
            // Every other row holds what was added, with its `_id` and `date` (§8: "all add fields + _id, date").
            if Self.documentedKeys[resource] == nil, case .object(let fields) = add.sampleBody {
                for key in fields.map(\.0) + ["_id", "date"] {
                    #expect(rows.first?[key] != nil, "\(resource): \(key)")
                }
            }
            if resource == "autodialer/campaigns" {
                // Gregorian as sent (2021-02-19 15:17), Jalali as stored (§8.13.3).
                #expect(rows.first?["start"] == .string("1399-12-01 15:17:00"))
                #expect(rows.first?["status"] == .string("waiting"))
            }
            if resource == "pbx/faxes" { #expect(rows.first?["type"] == .string("outbox")) }
            let id = try #require(rows.first?["_id"]?.stringValue)
            if let idFromAdd = added.data["_id"]?.stringValue { #expect(idFromAdd == id) }
            if resource == "pbx/users" { #expect(rows.first?["secret"] == .string("******")) }
            if let update = EndpointCatalog.endpoint(path: resource + "/update") {
                let changed = try await send(
                    update.path, .object([("_id", .string(id)), ("description", .string("changed"))]))
                #expect(changed.success == 1, "\(resource)")
            }
            if let remove = EndpointCatalog.endpoint(path: resource + "/remove") {
                #expect(try await send(remove.path, .object([("_id", .string(id))])).success == 1)
                #expect(try await send(remove.path, .object([("_id", .string(id))])).success == 0)
            }
        }
    }

    @Test(arguments: EndpointCatalog.all.filter { $0.body == .upload }.map(\.path))
    func uploadThenDownloadReturnsIdenticalBytes(path: String) async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let up = try await client.upload(path: path, fileName: "tone.wav", bytes: bytes)
        let name = try #require(up.envelope?.data["filename"]?.stringValue)
        #expect(up.envelope?.success == 1)
        #expect(up.envelope?.message == (path.hasPrefix("pbx/") ? "1 file(s) uploaded successfully" : ""))
        var download = try await client.send(
            method: "POST", path: "reports/audio/download", body: Array(#"{"file":"\#(name)"}"#.utf8))
        if path == "pbx/faxes/upload" {
            let add = try await client.send(
                method: "POST", path: "pbx/faxes/add", body: Array(#"{"to":"112233","file":"\#(name)"}"#.utf8))
            let id = try #require(add.envelope?.data["_id"]?.stringValue)
            download = try await client.send(
                method: "POST", path: "pbx/faxes/download", body: Array(#"{"_id":"\#(id)"}"#.utf8))
        }
        let missing = try await client.send(
            method: "POST", path: "reports/audio/download", body: Array(#"{"file":"nope.wav"}"#.utf8))
        let notMultipart = try await client.send(method: "POST", path: path, body: Array("{}".utf8))
        await client.shutdown()
        await sim.stop()
        #expect(download.status == 200)
        #expect(download.body == bytes)
        #expect(missing.status == 404 && missing.body.isEmpty)
        #expect(notMultipart.status == 415)
    }

    @Test func duplicatesAndMissingFieldsAreRefusedWithSuccessZero() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
        let add = EndpointCatalog.endpoint(path: "pbx/users/add")!
        let first = try await client.send(method: "POST", path: add.path, body: Array(add.sampleBody.serialized().utf8))
        let again = try await client.send(method: "POST", path: add.path, body: Array(add.sampleBody.serialized().utf8))
        let missing = try await client.send(method: "POST", path: add.path, body: Array(#"{"name":"x"}"#.utf8))
        await client.shutdown()
        await sim.stop()
        #expect(first.envelope?.success == 1)
        #expect(again.envelope?.success == 0)
        #expect(again.envelope?.message == "This number already exists")
        #expect(missing.envelope?.message == "Field 'number':value is missing")
    }
}

/// Every service of the catalog is served (no 501) and answers its sample body with the envelope.
@Suite struct SimulatorCoverageTests {
    @Test func everyCatalogServiceIsServed() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
        var unserved: [String] = []
        for spec in EndpointCatalog.all {
            let r: SimotelResponse
            switch spec.body {
            case .upload: r = try await client.upload(path: spec.path, fileName: "f.wav", bytes: [1, 2, 3])
            case .json, .download:
                r = try await client.send(
                    method: spec.method, path: spec.path, body: Array(spec.sampleBody.serialized().utf8))
            }
            if r.status == 501 { unserved.append(spec.path) }
            if spec.body != .download { #expect(r.envelope != nil, "\(spec.path)") }
        }
        await client.shutdown()
        await sim.stop()
        #expect(unserved.isEmpty, "not served: \(unserved)")
    }
}

/// Paged searches apply `pagination.sorting` on any field, then page (api-v4.md §7.4, issue 9 point 5).
@Suite struct SimulatorSortingTests {
    @Test func sortingIsAppliedThenPaging() async throws {
        try await withSimulator { _, client in
            func send(_ path: String, _ body: JSONValue) async throws -> JSONValue {
                let r = try await client.send(method: "POST", path: path, body: Array(body.serialized().utf8))
                let envelope = try #require(r.envelope)
                #expect(envelope.success == 1, "\(path): \(envelope.message ?? "")")
                return envelope.data
            }
            for (name, count) in [("b-group", 5), ("c-group", 1), ("a-group", 3), ("d-group", 3)] {
                _ = try await send(
                    "autodialer/groups/add",
                    .object([("name", .string(name)), ("description", .string("")), ("count", .number(Double(count)))]))
            }
            func names(_ sorting: JSONValue, start: Int = 0, count: Int = 20) async throws -> [String] {
                let data = try await send(
                    "autodialer/groups/search",
                    .object([
                        ("alike", .string("true")), ("conditions", .object([("name", .string("-group"))])),
                        (
                            "pagination",
                            .object([
                                ("start", .number(Double(start))), ("count", .number(Double(count))),
                                ("sorting", sorting),
                            ])
                        ),
                    ]))
                #expect(data["pagination"]?["total"]?.intValue == 4)
                guard case .array(let rows)? = data["data"] else { return [] }
                return rows.compactMap { $0["name"]?.stringValue }
            }
            #expect(try await names(.object([("name", .number(1))])) == ["a-group", "b-group", "c-group", "d-group"])
            #expect(try await names(.object([("name", .number(-1))])) == ["d-group", "c-group", "b-group", "a-group"])
            #expect(try await names(.object([("name", .number(1))]), start: 1, count: 2) == ["b-group", "c-group"])
            // Numbers by value; ties keep the stored order.
            #expect(try await names(.object([("count", .number(1))])) == ["c-group", "a-group", "d-group", "b-group"])
            let empty = try await send(
                "autodialer/groups/search",
                .object([
                    ("alike", .string("true")),
                    ("pagination", .object([("start", .number(0)), ("count", .number(1)), ("sorting", .object([]))])),
                ]))
            #expect(empty["pagination"]?["sorting"] == .object([("date", .number(-1))]))
        }
    }
}

/// Report searches filter by their `date_range` (issue 14, point 1): Gregorian minutes, both ends
/// included, after which sorting and paging apply.
@Suite struct SimulatorDateRangeTests {
    @Test func aDateRangeKeepsTheRowsWithinItBothEndsIncluded() async throws {
        try await withSimulator(seedDemo: true) { _, client in
            func search(_ from: String, _ to: String) async throws -> [JSONValue] {
                let body = JSONValue.object([
                    ("conditions", .object([("from", .string("")), ("to", .string("")), ("cuid", .string(""))])),
                    ("date_range", .object([("from", .string(from)), ("to", .string(to))])),
                    (
                        "pagination",
                        .object([("start", .number(0)), ("count", .number(1000)), ("sorting", .object([]))])
                    ),
                    ("alike", .string("true")),
                ])
                let r = try await client.send(
                    method: "POST", path: "reports/cdr/search", body: Array(body.serialized().utf8))
                let data = try #require(r.envelope?.data)
                guard case .array(let rows)? = data["data"] else { return [] }
                #expect(data["pagination"]?["total"]?.intValue == rows.count)
                return rows
            }
            let all = try await search("2000-01-01 00:00", "2100-01-01 00:00")
            #expect(all.count > 1)
            #expect(try await search("2021-01-01 00:00", "2021-01-02 00:00").isEmpty)  // the issue's example
            // Rows hold Jalali times; a request names Gregorian minutes.
            let times = all.compactMap { SimotelDates.instant($0["starttime"]) }
            #expect(times.count == all.count)
            let first = try #require(times.min())
            let minute = SimotelDates.gregorian(first, seconds: false)
            let same = try await search(minute, minute)
            #expect(
                !same.isEmpty
                    && same.allSatisfy {
                        SimotelDates.instant($0["starttime"]).map { SimotelDates.gregorian($0, seconds: false) }
                            == minute
                    })
            let from = try await search(minute, "2100-01-01 00:00")
            #expect(from.count == all.count)
            let before = try await search("1990-01-01 00:00", "2000-01-01 00:00")
            #expect(before.isEmpty)
        }
    }
}

/// A simulator and a client of it for one test, both stopped when `body` ends, however it ends.
func withSimulator(
    seedDemo: Bool = false, _ body: (SimotelSimulator, SimotelClient) async throws -> Void
) async throws {
    let sim = SimotelSimulator(configuration: SimulatorConfiguration(seedDemo: seedDemo))
    let url = try await sim.start()
    let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
    do {
        try await body(sim, client)
    } catch {
        await client.shutdown()
        await sim.stop()
        throw error
    }
    await client.shutdown()
    await sim.stop()
}

/// Simotel's dates (issue 14, point 4): Jalali as stored, Gregorian as asked, by Foundation's
/// calendars; the pairs are the documentation's own (api-v4.md §5.1, §8.12, §8.13) and the new year.
@Suite struct SimotelDatesTests {
    static let tehran = TimeZone(identifier: "Asia/Tehran")!

    @Test(arguments: [
        ("2021-03-21 00:00:00", "1400-01-01 00:00:00"),  // Nowruz 1400
        ("2021-03-20 23:59:00", "1399-12-30 23:59:00"),
        ("2021-02-19 15:17:00", "1399-12-01 15:17:00"),  // a campaign's start, §8.13.3
        ("2022-12-02 09:57:53", "1401-09-11 09:57:53"),  // a call's answer and start, §8.12.1
        ("2023-07-19 19:02:00", "1402-04-28 19:02:00"),  // a music's date, §8.6.1
    ])
    func gregorianAndJalaliAgree(gregorian: String, jalali: String) throws {
        let g = try #require(SimotelDates.parseGregorian(gregorian, zone: Self.tehran))
        #expect(SimotelDates.jalali(g, zone: Self.tehran) == jalali)
        let j = try #require(SimotelDates.parseJalali(jalali, zone: Self.tehran))
        #expect(j == g)
        #expect(SimotelDates.gregorian(j, zone: Self.tehran) == gregorian)
        #expect(SimotelDates.jalali(g, seconds: false, zone: Self.tehran) == String(jalali.prefix(16)))
    }

    @Test func extendedDatesAndWhatIsNoDate() {
        // §8.12.1: $numberLong 1669962473534 is 2022-12-02 06:27:53.534 UTC, 09:57:53 in Tehran.
        let d = Date(timeIntervalSince1970: 1_669_962_473.534)
        #expect(SimotelDates.extended(d)["$date"]?["$numberLong"]?.stringValue == "1669962473534")
        #expect(SimotelDates.jalali(d, zone: Self.tehran) == "1401-09-11 09:57:53")
        #expect(SimotelDates.instant(SimotelDates.extended(d)) == Date(timeIntervalSince1970: 1_669_962_473.534))
        for bad in ["", "1400-13-01 00:00", "1400-12-31 00:00", "2021-02-30 10:00", "yesterday", "2021-01-01"] {
            #expect(SimotelDates.parseJalali(bad, zone: Self.tehran) == nil || bad == "2021-02-30 10:00", "\(bad)")
            #expect(SimotelDates.parseGregorian(bad, zone: Self.tehran) == nil || bad == "1400-12-31 00:00", "\(bad)")
        }
    }
}

/// Every field the documentation marks R is required by the simulator, as by Simotel (issue 14,
/// point 6): `{}` to any service with one answers success 0 naming the first.
@Suite struct SimulatorRequiredFieldsTests {
    @Test func everyRequiredFieldOfEveryServiceIsEnforced() async throws {
        try await withSimulator { _, client in
            var checked = 0
            for spec in EndpointCatalog.all where spec.body != .upload && spec.method == "POST" {
                guard let first = spec.fields.first(where: { $0.need == .required }) else { continue }
                let r = try await client.send(method: spec.method, path: spec.path, body: Array("{}".utf8))
                #expect(r.status == 200, "\(spec.path)")
                #expect(r.envelope?.success == 0, "\(spec.path)")
                #expect(r.envelope?.message == "Field '\(first.name)':value is missing", "\(spec.path)")
                checked += 1
            }
            #expect(checked > 50)
            // The issue's two cases, and the documented cuid lookup with an empty date_range.
            for path in ["pbx/users/search", "reports/cdr/search"] {
                let r = try await client.send(method: "POST", path: path, body: Array("{}".utf8))
                #expect(r.envelope?.success == 0, "\(path)")
            }
            let cuid = try await client.send(
                method: "POST", path: "reports/quick/search",
                body: Array(#"{"conditions":{"cuid":"1669962473.123"},"date_range":{},"alike":"false"}"#.utf8))
            #expect(cuid.envelope?.success == 1, "\(cuid.envelope?.message ?? "")")
        }
    }
}

/// What a request names must exist (issue 14, point 7), and the demo seed has what campaigns and
/// date ranges need (point 8).
@Suite struct SimulatorReferencesTests {
    func send(_ client: SimotelClient, _ path: String, _ json: String) async throws -> SimotelEnvelope {
        let r = try await client.send(method: "POST", path: path, body: Array(json.utf8))
        #expect(r.status == 200, "\(path)")
        return try #require(r.envelope)
    }

    @Test func missingReferentsFailAsSimotelDoes() async throws {
        try await withSimulator(seedDemo: true) { _, client in
            let add = try await send(client, "pbx/queues/addagent", #"{"queue":"nope","source":"103","agent":"103"}"#)
            #expect(add.success == 0)
            #expect(add.message == "Requested operation failed")
            let known = try await send(client, "pbx/queues/addagent", #"{"queue":"900","source":"103","agent":"103"}"#)
            #expect(known.success == 1)
            let campaign = try await send(
                client, "autodialer/campaigns/add", #"{"name":"c","trunk_manager_id":"000000000000000000000000"}"#)
            #expect(campaign.success == 0)
            #expect(campaign.message == "Requested operation failed")
            let bare = try await send(client, "pbx/queues/batchaddagent", #"{"agents":["570"]}"#)
            #expect(bare.success == 0)
            let mixed = try await send(
                client, "pbx/queues/batchpauseagent",
                #"{"agents":[{"queue":"900","agent":"101"},{"queue":"nope","agent":"102"}]}"#)
            #expect(mixed.success == 1)
            guard case .array(let items)? = mixed.data["Data"] else {
                Issue.record("no items: \(mixed.data)")
                return
            }
            #expect(items.map { $0["ok"] } == [.number(1), .number(0)])
            #expect(mixed.data["ok"] == .number(0))
        }
    }

    @Test func theDemoSeedHasATrunkManagerAndCallsOverSeveralDays() async throws {
        try await withSimulator(seedDemo: true) { _, client in
            let managers = try await send(
                client, "autodialer/trunks/search", #"{"alike":"true","conditions":{"title":"autodialer"}}"#)
            guard case .array(let rows) = managers.data, let manager = rows.first else {
                Issue.record("no trunk manager: \(managers.data)")
                return
            }
            for key in [
                "_id", "title", "trunk_id", "status", "active_times", "capacity", "dial_interval", "wait_cache_length",
                "date", "current_capacity", "current_wait_cache_length",
            ] {
                #expect(manager[key] != nil, "\(key)")
            }
            let id = try #require(manager["_id"]?.stringValue)
            let campaign = try await send(
                client, "autodialer/campaigns/add",
                #"{"name":"c","trunk_manager_id":"\#(id)","numbers":["09120000000"],"start":"2021-02-19 15:17"}"#)
            #expect(campaign.success == 1, "\(campaign.message ?? "")")
            let calls = try await send(
                client, "reports/cdr/search",
                #"{"alike":"true","conditions":{},"date_range":{"from":"2000-01-01 00:00","to":"2100-01-01 00:00"},"pagination":{"start":0,"count":100,"sorting":{}}}"#
            )
            guard case .array(let cdrs)? = calls.data["data"] else {
                Issue.record("no calls: \(calls.data)")
                return
            }
            let days = Set(cdrs.compactMap { $0["starttime"]?.stringValue?.prefix(10) })
            #expect(days.count >= 3, "\(days)")
            // Every key of the documented CDR row (§8.12.1), Jalali start and Gregorian answer.
            for cdr in cdrs {
                for key in [
                    "_id", "type", "cuid", "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp",
                    "lastdata", "start", "answer", "duration", "billsec", "disposition", "amaflags", "accountcode",
                    "uniqueid", "userfield", "sequence", "comment", "v", "route", "wait", "starttime", "endtime",
                    "billsec_hhmmss", "wait_hhmmss",
                ] {
                    #expect(cdr[key] != nil, "\(key)")
                }
                let start = try #require(cdr["start"]?.stringValue.flatMap { SimotelDates.parseJalali($0) })
                if let answer = cdr["answer"]?.stringValue, !answer.isEmpty {
                    let answered = try #require(SimotelDates.parseGregorian(answer))
                    #expect(answered.timeIntervalSince(start) == Double(cdr["wait"]?.intValue ?? -1))
                }
            }
        }
    }
}

/// Every paged service sorts by its documented default when asked `{}`, echoes it, and pages
/// (issue 14, points 2 and 3): one table-driven test over the catalog.
@Suite struct SimulatorPagingTests {
    @Test func everyPagedServiceSortsAndPages() async throws {
        try await withSimulator(seedDemo: true) { _, client in
            let paged = EndpointCatalog.all.filter { $0.paging == .pages }
            #expect(paged.count == 13)
            for spec in paged {
                var body = spec.sampleBody.setting(
                    "pagination",
                    to: .object([("start", .number(1)), ("count", .number(2)), ("sorting", .object([]))]))
                if body["date_range"] != nil {
                    body = body.setting(
                        "date_range",
                        to: .object([("from", .string("2000-01-01 00:00")), ("to", .string("2100-01-01 00:00"))]))
                }
                if case .object(let conditions)? = body["conditions"] {
                    body = body.setting("conditions", to: .object(conditions.map { ($0.0, .string("")) }))
                }
                let r = try await client.send(method: "POST", path: spec.path, body: Array(body.serialized().utf8))
                let envelope = try #require(r.envelope, "\(spec.path)")
                #expect(envelope.success == 1, "\(spec.path): \(envelope.message ?? "")")
                let pagination = envelope.data["pagination"]
                let sort = try #require(spec.defaultSorting)
                #expect(
                    pagination?["sorting"] == .object([(sort.field, .number(Double(sort.direction)))]), "\(spec.path)")
                #expect(pagination?["start"] == .number(1) && pagination?["count"] == .number(2), "\(spec.path)")
                let total = pagination?["total"]?.intValue ?? -1
                guard case .array(let rows)? = envelope.data["data"] else {
                    Issue.record("\(spec.path): no rows")
                    continue
                }
                #expect(rows.count == max(0, min(2, total - 1)), "\(spec.path)")
            }
        }
    }
}
