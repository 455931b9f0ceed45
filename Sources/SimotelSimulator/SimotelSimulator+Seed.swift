import Foundation
import SimotelKit

/// `--seed demo`: a few users, a queue with agents, a trunk, music on hold, some call history and
/// its queue and agent reports, so that a first look has something to show.
extension SimotelSimulator {
    func seedDemo() {
        seedDemoPBX()
        seedDemoMusicOnHold()
        seedDemoTrunkManager()
        seedDemoCalls()
        seedDemoReports()
    }

    /// The demo's extension that never answers (`seedDemoPBX` adds it; `CallOutcome`).
    static let demoOutcomes: [String: CallOutcome] = ["199": .noAnswer]

    /// Four users (199 never answers its calls), a trunk, and queue 900 with two of the users as
    /// its agents.
    func seedDemoPBX() {
        for (number, name) in [("101", "Sara"), ("102", "Omid"), ("103", "Neda"), ("199", "No Answer")] {
            var user = EndpointCatalog.endpoint(path: "pbx/users/add")!.sampleBody
            user = user.setting("number", to: .string(number)).setting("name", to: .string(name))
                .setting("cid_number", to: .string(number)).setting("secret", to: .string("s" + number))
            _ = add(EndpointCatalog.endpoint(path: "pbx/users/add")!, "pbx/users", user, quiet: true)
        }
        _ = add(
            EndpointCatalog.endpoint(path: "pbx/trunks/add")!, "pbx/trunks",
            EndpointCatalog.endpoint(path: "pbx/trunks/add")!.sampleBody.setting("name", to: .string("SimotelTrunk"))
                .setting("active", to: .string("yes")), quiet: true)
        _ = add(
            EndpointCatalog.endpoint(path: "pbx/queues/add")!, "pbx/queues",
            EndpointCatalog.endpoint(path: "pbx/queues/add")!.sampleBody.setting("name", to: .string("Support"))
                .setting("number", to: .string("900")), quiet: true)
        for agent in ["101", "102"] {
            recordAgent(
                "addagent", .object([("queue", .string("900")), ("agent", .string(agent)), ("source", .string(agent))]))
        }
    }

    /// The `default` music on hold, with one file.
    func seedDemoMusicOnHold() {
        store.insert(
            "pbx/musiconholds",
            .object([
                ("_id", .string(store.newID())), ("name", .string("default")), ("date", .string(Self.recordDate())),
                ("path", .string("moh-default")), ("count", .number(1)),
                (
                    "musics",
                    .array([
                        .object([
                            ("file", .string("default-hold.wav")), ("size", .string("55.18 KB")),
                            ("date", .string(SimotelDates.jalali(Date(), seconds: false))), ("type", .string("file")),
                        ])
                    ])
                ),
            ]))
    }

    /// An autodialer trunk manager on the demo trunk.
    func seedDemoTrunkManager() {
        // An autodialer trunk manager on that trunk (§8.13.5: its every key; managers cannot be
        // made through the API), so that campaigns can name one.
        let trunkID = store.all("pbx/trunks").last?["_id"]?.displayText ?? store.newID()
        let hours = (10...19).map { JSONValue.string(String($0)) }
        store.insert(
            "autodialer/trunks",
            .object([
                ("_id", .string(store.newID())), ("title", .string("autodialer")),
                ("trunk_id", .object([("$oid", .string(trunkID))])), ("status", .string("active")),
                (
                    "active_times",
                    .object(["1", "2", "3", "4", "6", "7"].map { ($0, .array(hours)) })
                ),
                ("capacity", .string("5")), ("dial_interval", .string("1")), ("wait_cache_length", .string("100")),
                ("date", .string(Self.recordDate())), ("current_capacity", .number(0)),
                ("current_wait_cache_length", .number(0)),
            ]))
    }

    /// A few calls of the last days in the CDR.
    func seedDemoCalls() {
        // Calls a day or more apart over four days, oldest first (so date ranges and sorting show
        // something); the newest is the last one, whatever the time of day.
        for (n, (hoursAgo, src, dst, disposition, billsec)) in [
            (73.0, "09127654321", "900", "ANSWERED", 61), (49.0, "102", "09121112222", "BUSY", 0),
            (48.0, "101", "103", "ANSWERED", 17), (25.0, "09151234567", "900", "FAILED", 0),
            (5.0, "101", "102", "ANSWERED", 42), (3.0, "09121234567", "900", "ANSWERED", 95),
            (1.0, "103", "09351112233", "NO ANSWER", 0),
        ].enumerated() {
            let started = Date().addingTimeInterval(-hoursAgo * 3600)
            let cuid = String(format: "%.3f", started.timeIntervalSince1970)
            let type = src.count <= 5 && dst.count <= 5 ? "local" : (src.count > 5 ? "incoming" : "outgoing")
            store.insert(
                "reports/cdr",
                cdrRow(
                    CallRecord(
                        cuid: cuid, type: type, src: src, dst: dst, disposition: disposition, start: started, wait: 5,
                        billsec: billsec, trunk: "SimotelTrunk", sequence: n + 1)))
        }
    }
}
