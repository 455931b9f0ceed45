import Foundation
import SimotelKit
import Testing

@testable import SimotelSimulator

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
