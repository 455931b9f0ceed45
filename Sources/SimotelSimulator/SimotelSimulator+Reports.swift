import Foundation
import HTTPServerKit
import SimotelKit

/// The queue, queue details, agent and poll reports (api-v4.md §8.12.6–8.12.11): searched by
/// their conditions, then paged like every report; the demo seeds rows for the queue calls of
/// its call history and the agents' time in queue 900.
extension SimotelSimulator {
    /// Where each report search reads.
    static let reportResources: [String: String] = [
        "reports/queue/search": "reports/queue", "reports/queue_details/search": "reports/queue_details",
        "reports/agent/search": "reports/agent", "reports/poll/search": "reports/poll",
    ]

    /// The row field a condition names: `from` the source, `to` the destination, `queue` the
    /// queue number (`qnum`); any other (`cuid`, `qnum`, `queue_id`, `exten`, `label`) its own.
    static let conditionFields = ["from": "src", "to": "dst", "queue": "qnum"]

    func reportSearch(_ spec: EndpointSpec, _ body: JSONValue, target: String) -> ServerResponse {
        let alike = body["alike"].map { $0 == .bool(true) || $0.displayText.lowercased() == "true" } ?? false
        var conditions: [(field: String, value: String)] = []
        if case .object(let pairs)? = body["conditions"] {
            for (key, value) in pairs where !value.displayText.isEmpty {
                conditions.append((Self.conditionFields[key] ?? key, value.displayText))
            }
        }
        let rows = Self.reportResources[spec.path].map { store.all($0) } ?? []
        let matching = rows.filter { row in
            conditions.allSatisfy { condition in
                // A poll row names its call `uniqueid`.
                let field = row[condition.field] ?? (condition.field == "cuid" ? row["uniqueid"] : nil)
                let have = field?.displayText ?? ""
                return alike ? have.contains(condition.value) : have == condition.value
            }
        }
        return Self.page(matching, body, spec: spec, target: target)
    }

    /// One agent's try at a queue call: who, how long it rang, whether it answered.
    struct QueueTry {
        var agent: String
        var ring: Int
        var answered: Bool
    }

    /// Queue and agent report rows for the demo: each answered call to queue 900 in the CDR gets
    /// its queue row and a detail row per agent tried (the oldest rang 101 in vain, then 102
    /// answered; the others 101 answered); agents 101 and 102 were in the queue around them.
    func seedDemoReports() {
        let calls = store.all("reports/cdr").filter {
            $0["dst"]?.stringValue == "900" && $0["disposition"]?.stringValue == "ANSWERED"
        }
        for (i, call) in calls.enumerated() {
            let tries =
                i == 0
                ? [QueueTry(agent: "101", ring: 3, answered: false), QueueTry(agent: "102", ring: 2, answered: true)]
                : [QueueTry(agent: "101", ring: 5, answered: true)]
            seedQueueCall(call, tries: tries, number: i + 1)
        }
        for (agent, spans) in [("101", [(76.0, 8.0), (6.0, 5.5)]), ("102", [(76.0, 8.0), (6.0, 4.0)])] {
            for (hoursAgo, hours) in spans {
                let start = Date().addingTimeInterval(-hoursAgo * 3600)
                let seconds = Int(hours * 3600)
                store.insert(
                    "reports/agent",
                    .object([
                        ("_id", .string(store.newID())), ("type", .string("inout")), ("exten", .string(agent)),
                        ("qnum", .string("900")), ("start", .string(SimotelDates.jalali(start))),
                        ("end", .string(SimotelDates.jalali(start.addingTimeInterval(Double(seconds))))),
                        ("duration", .number(Double(seconds))), ("inout", .number(1)),
                        ("inout_du", .number(Double(seconds))), ("duration_hhmmss", .string(Self.hhmmss(seconds))),
                    ]))
            }
        }
    }

    /// The queue row (§8.12.6) and detail rows (§8.12.2, §8.12.8) of one answered queue call.
    func seedQueueCall(_ call: JSONValue, tries: [QueueTry], number: Int) {
        guard let start = SimotelDates.instant(call["starttime"]), let answerer = tries.last else { return }
        let cuid = call["cuid"]?.displayText ?? ""
        let src = call["src"]?.displayText ?? ""
        let billsec = call["billsec"]?.intValue ?? 0
        let queueID = "\(Int(start.timeIntervalSince1970)).\(4000 + number)"
        let wait = tries.reduce(0) { $0 + $1.ring }
        let answered = start.addingTimeInterval(Double(wait))
        store.insert(
            "reports/queue",
            .object([
                ("_id", .string(store.newID())), ("duration", .number(Double(wait + billsec))),
                ("wait", .number(Double(wait))), ("agent_wait", .number(Double(answerer.ring))),
                ("billsec", .number(Double(billsec))), ("queue_id", .string(queueID)), ("src", .string(src)),
                ("dst", .string(answerer.agent)), ("cuid", .string(cuid)), ("qnum", .string("900")),
                ("starttime", .string(SimotelDates.jalali(start))),
                ("endtime", SimotelDates.extended(answered.addingTimeInterval(Double(billsec)))),
                ("ringtime", SimotelDates.extended(start)), ("answeredtime", SimotelDates.extended(answered)),
                ("queue_status", .string("CONTINUE")), ("disposition", .string("ANSWERED")),
                ("hangup", .string("caller")), ("ANSWERED", .number(1)), ("v", .number(2)),
                ("billsec_hhmmss", .string(Self.hhmmss(billsec))), ("wait_hhmmss", .string(Self.hhmmss(wait))),
                ("duration_hhmmss", .string(Self.hhmmss(wait + billsec))),
                ("dst_name", .string(userName(answerer.agent))),
            ]))
        var tried = start
        for (i, t) in tries.enumerated() {
            let talk = t.answered ? billsec : 0
            let sequence = 100 * number + i
            store.insert(
                "reports/queue_details",
                queueDetail(
                    cuid: cuid, src: src, t, start: tried, talk: talk, queueID: queueID, sequence: sequence))
            tried = tried.addingTimeInterval(Double(t.ring))
        }
    }

    /// One agent's try as a `queue_report` row, every key of §8.12.2 and §8.12.8.
    func queueDetail(
        cuid: String, src: String, _ t: QueueTry, start: Date, talk: Int, queueID: String, sequence: Int
    ) -> JSONValue {
        let disposition = t.answered ? "ANSWERED" : "NO ANSWER"
        let end = start.addingTimeInterval(Double(t.ring + talk))
        let hex = String(format: "%08x", sequence)
        return .object([
            ("_id", .string(store.newID())), ("type", .string("queue_report")), ("cuid", .string(cuid)),
            ("clid", .string("\"\(src)\" <\(src)>")), ("src", .string(src)), ("dst", .string(t.agent)),
            ("dcontext", .string("simotel-local-agents")),
            ("channel", .string("Local/\(t.agent)@simotel-local-agents-\(hex);2")),
            ("dstchannel", .string("SIP/\(t.agent)-\(hex)")), ("lastapp", .string("Dial")),
            ("lastdata", .string("SIP/\(t.agent),15,TtKkm")), ("start", .string(SimotelDates.jalali(start))),
            (
                "answer",
                .string(t.answered ? SimotelDates.gregorian(start.addingTimeInterval(Double(t.ring))) : "")
            ),
            ("duration", .number(Double(t.ring + talk))), ("billsec", .number(Double(talk))),
            ("disposition", .string(disposition)), ("amaflags", .string("DOCUMENTATION")),
            ("accountcode", .string("")), ("uniqueid", .string("\(Int(start.timeIntervalSince1970)).\(sequence)")),
            ("userfield", .string("")), ("sequence", .string(String(sequence))), ("comment", .string("")),
            ("v", .number(2)), ("qnum", .string("900")), ("starttime", .string(SimotelDates.jalali(start))),
            ("endtime", SimotelDates.extended(end)), ("queue_id", .string(queueID)), (disposition, .number(1)),
            ("wait", .number(Double(t.ring))), ("tries", .number(1)),
            ("last_try", SimotelDates.extended(start.addingTimeInterval(Double(t.ring)))),
            ("billsec_hhmmss", .string(Self.hhmmss(talk))), ("wait_hhmmss", .string(Self.hhmmss(t.ring))),
            ("duration_hhmmss", .string(Self.hhmmss(t.ring + talk))), ("dst_name", .string(userName(t.agent))),
        ])
    }

    /// A user's name by its number (the number when there is no such user).
    func userName(_ number: String) -> String {
        store.all("pbx/users").first { $0["number"]?.displayText == number }?["name"]?.stringValue ?? number
    }
}
