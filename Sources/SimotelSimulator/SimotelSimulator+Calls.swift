import Foundation
import HTTPServerKit
import SimotelKit

/// `call/originate/act` as a small call: the caller rings and answers, the callee rings and
/// answers, they talk, they hang up; each step is the event Simotel sends (NewState,
/// OutgoingCall or IncomingCall, Cdr), all with the call's `unique_id` and the returned
/// `originated_call_id`. The call lands in the CDR reports with a recording to download.
extension SimotelSimulator {
    static let reportTargets: [String: String] = [
        "reports/queue/search": "queue_stat", "reports/queue_details/search": "queue", "reports/agent/search": "agent",
        "reports/poll/search": "poll",
    ]

    static func callService(_ spec: EndpointSpec) -> Service? {
        switch spec.path {
        case "call/originate/act":
            return Service(methods: ["POST"]) { sim, body in sim.originate(spec, body) }
        case "reports/quick/search", "reports/cdr", "reports/cdr/search":
            return Service(methods: ["POST"]) { sim, body in sim.cdrSearch(spec, body) }
        case "reports/cdr/ordered/id", "reports/queue/ordered/id", "reports/queue_details/ordered/id",
            "autodialer/reports/ordered/id":
            return Service(methods: ["POST"]) { sim, body in sim.ordered(spec, body) }
        default:
            if let target = Self.reportTargets[spec.path] {
                return Service(methods: ["POST"]) { _, body in Self.page([], body, spec: spec, target: target) }
            }
            return nil
        }
    }

    func originate(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse {
        if let missing = missingField(spec, body) { return missing }
        let caller = body["caller"]?.displayText ?? ""
        let callee = body["callee"]?.displayText ?? ""
        let now = Date().timeIntervalSince1970
        let n = Int.random(in: 100_000...999_999)
        let originated = "orig.call.\(Int(now)).\(n)"
        let uniqueID = "\(Int(now)).\(n % 100_000)"
        let trunk = body["trunk_name"]?.displayText.nilIfEmpty ?? "SimotelTrunk"
        let record = Self.recordName(uniqueID)
        files.put(record, Self.silentWAV(seconds: 1))
        let plan = CallPlan(
            caller: caller, callee: callee, uniqueID: uniqueID, originatedID: originated, trunk: trunk, record: record,
            start: Date())
        Task { [weak self] in await self?.play(plan) }
        return Self.envelope(
            200, success: 1, message: nil, data: .object([("originated_call_id", .string(originated))]))
    }

    struct CallPlan {
        var caller, callee, uniqueID, originatedID, trunk, record: String
        var start: Date
        static func isExtension(_ n: String) -> Bool { n.count <= 5 && n.allSatisfy(\.isNumber) }
    }

    func play(_ p: CallPlan) async {
        func state(_ exten: String, _ s: String, participant: String, direction: String) async {
            guard CallPlan.isExtension(exten) else { return }
            emit(
                .object([
                    ("event_name", .string("NewState")), ("exten", .string(exten)), ("state", .string(s)),
                    ("participant", .string(participant)), ("direction", .string(direction)),
                    ("unique_id", .string(p.uniqueID)),
                ]), name: "NewState")
            try? await Task.sleep(for: .milliseconds(40))
        }
        let ids: [(String, JSONValue)] = [
            ("unique_id", .string(p.uniqueID)), ("originated_call_id", .string(p.originatedID)),
        ]
        await state(p.caller, "Ringing", participant: p.callee, direction: "out")
        await state(p.caller, "InUse", participant: p.callee, direction: "out")
        if CallPlan.isExtension(p.callee) {
            emit(
                .object(
                    [
                        ("event_name", .string("IncomingCall")), ("number", .string(p.caller)),
                        ("entry_point", .string(p.trunk)),
                    ] + ids), name: "IncomingCall")
        } else {
            emit(
                .object(
                    [
                        ("event_name", .string("OutgoingCall")), ("number", .string(p.callee)),
                        ("outgoing_point", .string(p.trunk)),
                    ] + ids), name: "OutgoingCall")
        }
        try? await Task.sleep(for: .milliseconds(40))
        await state(p.callee, "Ringing", participant: p.caller, direction: "in")
        await state(p.callee, "InUse", participant: p.caller, direction: "in")
        await state(p.caller, "Idle", participant: p.callee, direction: "out")
        await state(p.callee, "Idle", participant: p.caller, direction: "in")
        let end = Date()
        let type = CallPlan.isExtension(p.caller) && CallPlan.isExtension(p.callee) ? "local" : "outgoing"
        let billsec = 1
        let starttime = Self.eventTime(p.start)
        let endtime = Self.eventTime(end)
        emit(
            .object(
                [
                    ("event_name", .string("Cdr")), ("starttime", .string(starttime)), ("endtime", .string(endtime)),
                    ("src", .string(p.caller)), ("dst", .string(p.callee)), ("type", .string(type)),
                    ("disposition", .string("ANSWERED")),
                    ("duration", .number(Double(billsec + 1))), ("billsec", .number(Double(billsec))),
                    ("wait", .number(1)),
                    ("record", .string(p.record)),
                ] + ids), name: "Cdr")
        store.insert(
            "reports/cdr",
            cdrRow(
                CallRecord(
                    cuid: p.uniqueID, type: type, src: p.caller, dst: p.callee, disposition: "ANSWERED", start: p.start,
                    wait: 1, billsec: billsec, trunk: p.trunk, sequence: store.all("reports/cdr").count + 1,
                    record: p.record, originatedID: p.originatedID)))
    }

    func cdrSearch(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse {
        let c = body["conditions"]
        let alike = body["alike"].map { $0 == .bool(true) || $0.displayText.lowercased() == "true" } ?? false
        func matches(_ have: JSONValue?, _ want: JSONValue?) -> Bool {
            let w = want?.displayText ?? ""
            guard !w.isEmpty else { return true }
            let h = have?.displayText ?? ""
            return alike ? h.contains(w) : h == w
        }
        let rows = store.all("reports/cdr").filter {
            matches($0["src"], c?["from"]) && matches($0["dst"], c?["to"]) && matches($0["cuid"], c?["cuid"])
        }
        return Self.page(
            rows, body, spec: spec,
            target: spec.path == "reports/quick/search" || spec.path == "reports/cdr" ? nil : "cdr")
    }

    func ordered(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse {
        let rows = spec.path == "reports/cdr/ordered/id" ? store.all("reports/cdr") : []
        let after = body["_id"]?.stringValue ?? ""
        let startIndex =
            after.isEmpty ? 0 : (rows.firstIndex { $0["_id"]?.stringValue == after }.map { $0 + 1 } ?? rows.count)
        let slice = Array(rows.dropFirst(startIndex).prefix(20))
        let last = slice.last?["_id"] ?? .string(after)
        return Self.envelope(
            200, success: 1, message: "Requested operation is done successfully",
            data: .object([("last_id", last), ("data", .array(slice))]))
    }

    static func recordName(_ uniqueID: String) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd"
        f.timeZone = TimeZone(identifier: "UTC")
        return "\(f.string(from: Date()))_\(uniqueID).wav"
    }

    /// `2021-01-16 06:30:37.471398`, UTC, as event payloads carry times.
    static func eventTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// A second of silence: a real file for the recording download to return.
    static func silentWAV(seconds: Int) -> [UInt8] {
        let rate = 8000
        let samples = rate * seconds
        func le32(_ v: Int) -> [UInt8] {
            [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 24) & 0xFF)]
        }
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        var b: [UInt8] = Array("RIFF".utf8) + le32(36 + samples) + Array("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1)
        b += le32(rate) + le32(rate) + le16(1) + le16(8) + Array("data".utf8) + le32(samples)
        b += [UInt8](repeating: 0x80, count: samples)
        return b
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
