import SimotelKit

extension Session {
    /// Keeps the last API answer for later commands: `$response.success`, `$response.message`,
    /// `$response.data._id`, `$response.data.0.name`, ... (nested values also as JSON text).
    public func rememberResponse(_ json: JSONValue?) {
        lastResponse = json
        for key in variables.keys where key == "response" || key.hasPrefix("response.") { variables[key] = nil }
        guard let json else { return }
        var budget = 2000
        func export(_ value: JSONValue, _ name: String) {
            guard budget > 0 else { return }
            budget -= 1
            variables[name] = value.displayText
            switch value {
            case .object(let pairs): for (k, v) in pairs { export(v, name + "." + k) }
            case .array(let items): for (i, v) in items.enumerated() { export(v, name + "." + String(i)) }
            default: break
            }
        }
        export(json, "response")
    }

    /// `_id` values in the last answer (newest first, at most 50), for completion.
    public func recentIDs() -> [String] {
        var ids: [String] = []
        func walk(_ v: JSONValue) {
            guard ids.count < 50 else { return }
            switch v {
            case .object(let pairs):
                for (k, x) in pairs {
                    if k == "_id", let id = x.stringValue, !id.isEmpty, !ids.contains(id) {
                        ids.append(id)
                    } else {
                        walk(x)
                    }
                }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        if let lastResponse { walk(lastResponse) }
        return ids
    }
}
