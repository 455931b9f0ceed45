import Foundation
import SimotelKit
import Testing

@testable import SimotelSimulator

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
