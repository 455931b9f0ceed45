import Foundation
import HTTPServerKit
import SimotelKit

/// Queue agents, music on hold, quick info and the autodialer's report info (api-v4.md §8.5–8.13).
extension SimotelSimulator {
    static let agentMessages: [String: String] = [
        "addagent": "Added successfully", "pauseagent": "Paused successfully", "resumeagent": "UnPaused successfully",
        "removeagent": "Removed successfully",
    ]

    static func otherService(_ spec: EndpointSpec) -> Service? {
        let (_, action) = Self.split(spec.path)
        if let message = Self.agentMessages[action] {
            return Service(methods: ["POST"]) { sim, body in
                guard sim.queueExists(body["queue"]) else {
                    return Self.envelope(200, success: 0, message: SimulatorMessages.operationFailed)
                }
                sim.recordAgent(action, body)
                return Self.envelope(
                    200, success: 1, message: "", data: .object([("message", .string(message)), ("ok", .number(1))]))
            }
        }
        if action.hasPrefix("batch"), let message = Self.agentMessages[String(action.dropFirst("batch".count))] {
            return batchAgentService(action, message: message)
        }
        switch spec.path {
        case "pbx/musiconholds/search":
            return Service(methods: ["POST"]) { sim, body in sim.search(spec, "pbx/musiconholds", body) }
        case "reports/quick/info":
            return Service(methods: ["POST"]) { sim, body in
                if let missing = sim.missingField(spec, body) { return missing }
                let cuid = body["cuid"]?.displayText ?? ""
                let rows = sim.store.all("reports/queue_details").filter { $0["cuid"]?.displayText == cuid }
                return Self.envelope(200, success: 1, message: "", data: .array(rows))
            }
        case "autodialer/reports/info":
            return Service(methods: ["POST"]) { sim, body in
                if let missing = sim.missingField(spec, body) { return missing }
                return Self.envelope(200, success: 0, message: SimulatorMessages.operationFailed)
            }
        case "autodialer/reports/search":
            return Service(methods: ["POST"]) { _, body in Self.page([], body, spec: spec) }
        default:
            return nil
        }
    }

    /// A batch agent action (`batchaddagent`, …): the single action on each item of `agents`.
    static func batchAgentService(_ action: String, message: String) -> Service {
        let single = String(action.dropFirst("batch".count))
        let needed = single == "addagent" ? ["queue", "agent", "source"] : ["queue", "agent"]
        return Service(methods: ["POST"]) { sim, body in
            guard case .array(let items)? = body["agents"] else {
                return Self.envelope(200, success: 0, message: "Field 'agents':value is missing")
            }
            // Items are objects with the single action's fields (§8.5.9); anything else
            // refuses the whole call, nothing applied (the docs are silent: the man page says so).
            let malformed = items.contains { item in
                guard case .object = item else { return true }
                return needed.contains { (item[$0]?.displayText ?? "").isEmpty }
            }
            if malformed { return Self.envelope(200, success: 0, message: SimulatorMessages.operationFailed) }
            let results: [JSONValue] = items.map { item in
                var r = JSONValue.object([])
                if case .object(let pairs) = item {
                    for (k, v) in pairs {
                        r = r.setting(action == "batchaddagent" && k == "agent" ? "agents" : k, to: v)
                    }
                }
                // A queue that does not exist fails its item only.
                guard sim.queueExists(item["queue"]) else {
                    return r.setting("message", to: .string(SimulatorMessages.operationFailed))
                        .setting("ok", to: .number(0))
                }
                sim.recordAgent(single, item)
                return r.setting("message", to: .string(message)).setting("ok", to: .number(1))
            }
            let ok = results.allSatisfy { $0["ok"] == .number(1) }
            return Self.envelope(
                200, success: 1, message: "",
                data: .object([("Data", .array(results)), ("ok", .number(ok ? 1 : 0))]))
        }
    }

    /// Whether a queue of this number exists (an agent action's `queue` is a queue number, §8.5.5).
    func queueExists(_ number: JSONValue?) -> Bool {
        let n = number?.displayText ?? ""
        return store.all("pbx/queues").contains { $0["number"]?.displayText == n }
    }

    /// Whether a campaign's `trunk_manager_id`, when given, names a trunk manager (§8.13.3); else
    /// Simotel's generic failure.
    func missingReference(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse? {
        guard spec.path.hasPrefix("autodialer/campaigns/"), let id = body["trunk_manager_id"]?.displayText,
            !id.isEmpty || spec.path.hasSuffix("/add"),
            !store.all("autodialer/trunks").contains(where: { $0["_id"]?.displayText == id })
        else { return nil }
        return Self.envelope(200, success: 0, message: SimulatorMessages.operationFailed)
    }

    /// Keeps queue membership as `pbx/queue_agents` records (queue, agent, source, penalty, paused).
    func recordAgent(_ action: String, _ body: JSONValue) {
        let queue = body["queue"]?.displayText ?? ""
        let agent = body["agent"]?.displayText ?? ""
        let existing = store.all("pbx/queue_agents").first {
            $0["queue"]?.displayText == queue && $0["agent"]?.displayText == agent
        }?["_id"]?.stringValue
        switch action {
        case "addagent":
            if existing == nil {
                store.insert(
                    "pbx/queue_agents",
                    .object([
                        ("_id", .string(store.newID())), ("queue", .string(queue)), ("agent", .string(agent)),
                        ("source", body["source"] ?? .string(agent)), ("penalty", body["penalty"] ?? .string("")),
                        ("paused", .bool(false)),
                    ]))
            }
        case "pauseagent", "resumeagent":
            if let id = existing {
                _ = store.update("pbx/queue_agents", id: id) { $0.setting("paused", to: .bool(action == "pauseagent")) }
            }
        case "removeagent":
            if let id = existing { _ = store.remove("pbx/queue_agents", id: id) }
        default: break
        }
    }
}
