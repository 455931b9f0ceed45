import Foundation
import SimotelKit

/// `--seed demo`: a few users, a queue with agents, a trunk, music on hold and some call history,
/// so that a first look has something to show.
extension SimotelSimulator {
    func seedDemo() {
        for (number, name) in [("101", "Sara"), ("102", "Omid"), ("103", "Neda")] {
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
                            ("type", .string("file")),
                        ])
                    ])
                ),
            ]))
        // Hours apart, oldest first: the newest call is the last one, whatever the time of day.
        for (hoursAgo, src, dst, disposition, billsec) in [
            (5.0, "101", "102", "ANSWERED", 42), (3.0, "09121234567", "900", "ANSWERED", 95),
            (1.0, "103", "09351112233", "NO ANSWER", 0),
        ] {
            let started = Date().addingTimeInterval(-hoursAgo * 3600)
            let cuid = String(format: "%.3f", started.timeIntervalSince1970)
            let type = src.count <= 5 && dst.count <= 5 ? "local" : (src.count > 5 ? "incoming" : "outgoing")
            store.insert(
                "reports/cdr",
                .object([
                    ("_id", .string(store.newID())), ("type", .string(type)), ("cuid", .string(cuid)),
                    ("src", .string(src)),
                    ("dst", .string(dst)), ("disposition", .string(disposition)),
                    ("duration", .number(Double(billsec + 5))),
                    ("billsec", .number(Double(billsec))), ("wait", .number(5)),
                    ("starttime", .string(Self.recordDate(started))),
                    (disposition, .number(1)), (type, .number(1)),
                ]))
        }
    }
}
