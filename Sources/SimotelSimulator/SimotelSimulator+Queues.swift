import Foundation
import SimotelKit

/// Queue agents, music on hold, quick info and the autodialer's report info (api-v4.md §8.5–8.13).
extension SimotelSimulator {
    static let agentMessages: [String: String] = [
        "addagent": "Added successfully", "pauseagent": "Paused successfully", "resumeagent": "UnPaused successfully",
        "removeagent": "Removed successfully",
    ]

    func otherService(_ spec: EndpointSpec) -> Service? {
        let (_, action) = Self.split(spec.path)
        if let message = Self.agentMessages[action] {
            return Service(methods: ["POST"]) { sim, body in
                if let missing = sim.missingField(spec, body) { return missing }
                sim.recordAgent(action, body)
                return Self.envelope(
                    200, success: 1, message: "", data: .object([("message", .string(message)), ("ok", .number(1))]))
            }
        }
        if action.hasPrefix("batch"), let message = Self.agentMessages[String(action.dropFirst("batch".count))] {
            return Service(methods: ["POST"]) { sim, body in
                guard case .array(let items)? = body["agents"] else {
                    return Self.envelope(200, success: 0, message: "Field 'agents':value is missing")
                }
                let results: [JSONValue] = items.map { item in
                    sim.recordAgent(String(action.dropFirst("batch".count)), item)
                    var r = JSONValue.object([])
                    if case .object(let pairs) = item {
                        for (k, v) in pairs {
                            r = r.setting(action == "batchaddagent" && k == "agent" ? "agents" : k, to: v)
                        }
                    }
                    return r.setting("message", to: .string(message)).setting("ok", to: .number(1))
                }
                return Self.envelope(
                    200, success: 1, message: "", data: .object([("Data", .array(results)), ("ok", .number(1))]))
            }
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
                return Self.envelope(200, success: 0, message: "Requested operation failed")
            }
        case "autodialer/reports/search":
            return Service(methods: ["POST"]) { _, body in Self.page([], body, spec: spec) }
        default:
            return nil
        }
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
