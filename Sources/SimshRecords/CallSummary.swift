import Foundation
import SimotelKit

/// One call as its records tell it (`calls`): joined by `originated_call_id` and `unique_id`
/// (an OutgoingCall or a Cdr carries both, a NewState only the second), its parties, direction,
/// state and outcome read from the events Simotel documents.
public struct CallSummary: Sendable {
    public var originatedID: String?
    public var uniqueIDs: [String] = []
    public var start: Date
    public var last: Date
    public var from: String?
    public var to: String?
    /// in, out, local, originate.
    public var direction: String?
    /// ringing, up, ended.
    public var state: String = "ringing"
    /// The Cdr's disposition (ANSWERED, NO ANSWER, BUSY, FAILED) when it came.
    public var outcome: String?
    /// Seconds: the Cdr's duration, else since the first record.
    public var duration: Double?
    public var records = 0
    public var lastName = ""

    /// The identifier a person names the call by: the originated call's, else its unique id.
    public var id: String { originatedID ?? uniqueIDs.first ?? "" }

    /// Groups records into calls, oldest call first. API requests join by the originated call
    /// only (a CDR search names many calls).
    public static func group(_ records: [StoredRecord], now: Date = Date()) -> [CallSummary] {
        // Which identifiers name one call, whatever order the records came in (a NewState with
        // only the unique id may come before the OutgoingCall that ties it to the originated id).
        var links = IdentifierLinks()
        for r in records { links.join([r.callID, r.uniqueID].compactMap { $0 }) }
        var index: [String: Int] = [:]
        var calls: [CallSummary] = []
        for r in records.sorted(by: StoredRecord.inOrder) {
            guard let key = r.callID ?? r.uniqueID else { continue }
            let root = links.root(key)
            if index[root] == nil {
                index[root] = calls.count
                calls.append(CallSummary(start: r.time, last: r.time))
            }
            calls[index[root]!].add(r)
        }
        for i in calls.indices where calls[i].duration == nil {
            calls[i].duration = (calls[i].state == "ended" ? calls[i].last : now).timeIntervalSince(calls[i].start)
        }
        return calls
    }

    mutating func add(_ r: StoredRecord) {
        records += 1
        last = max(last, r.time)
        lastName = r.name
        if let c = r.callID, originatedID == nil { originatedID = c }
        if let u = r.uniqueID, !uniqueIDs.contains(u) { uniqueIDs.append(u) }
        let body = r.json
        switch r.kind {
        case .request:
            let req = body["request"]
            from = from ?? text(req?["caller"])
            to = to ?? text(req?["callee"])
            direction = direction ?? "originate"
        case .event, .component:
            event(r.name, body["payload"] ?? .object([]))
        }
    }

    /// What each documented event says of the call (webhooks.md §4).
    mutating func event(_ name: String, _ p: JSONValue) {
        switch name {
        case "IncomingCall":
            direction = direction ?? "in"
            from = from ?? text(p["number"])
            to = to ?? text(p["entry_point"])
        case "OutgoingCall":
            direction = direction ?? "out"
            to = to ?? text(p["number"])
        case "NewState":
            switch text(p["state"]) ?? "" {
            case "Ringing", "Ring": if state != "ended" && state != "up" { state = "ringing" }
            case "InUse", "Up", "Busy": if state != "ended" { state = "up" }
            // Back to Idle: the call is over (a call nobody answered sends no Cdr).
            case "Idle", "Unavailable": state = "ended"
            default: break
            }
            if from == nil, let exten = text(p["exten"]) { from = exten }
            if to == nil, let other = text(p["participant"]) { to = other }
        case "Cdr":
            state = "ended"
            outcome = text(p["disposition"]) ?? outcome
            from = text(p["src"]) ?? from
            to = text(p["dst"]) ?? to
            // An originated call stays "originate" (its Cdr says outgoing or local).
            if let t = text(p["type"]), direction != "originate" {
                direction = t == "incoming" ? "in" : t == "outgoing" ? "out" : t
            }
            if let d = p["duration"].flatMap({ Double($0.displayText) }) { duration = d }
        default:
            break
        }
    }

    func text(_ v: JSONValue?) -> String? {
        guard let v, !v.isNull else { return nil }
        let t = v.displayText
        return t.isEmpty ? nil : t
    }
}

/// Identifiers joined into calls (union–find): two ids one record carries name one call.
struct IdentifierLinks {
    private var parent: [String: String] = [:]

    mutating func root(_ key: String) -> String {
        var k = key
        while let p = parent[k], p != k { k = p }
        // Path compression: the next look is one step.
        var j = key
        while let p = parent[j], p != k {
            parent[j] = k
            j = p
        }
        return k
    }

    mutating func join(_ keys: [String]) {
        guard let first = keys.first else { return }
        if parent[first] == nil { parent[first] = first }
        let r = root(first)
        for k in keys.dropFirst() {
            if parent[k] == nil { parent[k] = k }
            let other = root(k)
            if other != r { parent[other] = r }
        }
    }
}
