import Foundation
import HTTPServerKit
import SimotelKit

/// `call/originate/act` as a small call (played in `+CallFlow`), and the report services: CDR,
/// queue, queue details, agent and poll searches and their cursors over the simulator's rows.
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
                return Service(methods: ["POST"]) { sim, body in sim.reportSearch(spec, body, target: target) }
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
        let plan = CallPlan(
            caller: caller, callee: callee, uniqueID: uniqueID, originatedID: originated, trunk: trunk,
            record: Self.recordName(uniqueID), start: Date(), callerOutcome: outcome(for: caller),
            calleeOutcome: outcome(for: callee))
        startCall(plan)
        return Self.envelope(
            200, success: 1, message: nil, data: .object([("originated_call_id", .string(originated))]))
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

    /// Where the cursor services read (`autodialer/reports/ordered/id` has no rows).
    static let orderedResources: [String: String] = [
        "reports/cdr/ordered/id": "reports/cdr", "reports/queue/ordered/id": "reports/queue",
        "reports/queue_details/ordered/id": "reports/queue_details",
    ]

    func ordered(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse {
        let rows = Self.orderedResources[spec.path].map { store.all($0) } ?? []
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
