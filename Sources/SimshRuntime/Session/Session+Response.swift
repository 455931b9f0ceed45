import SimotelKit
import SimotelWebhooks
import SimshLanguage

extension Session {
    /// Keeps the last API answer for later commands as one typed value, `$response`: the
    /// envelope's members (`success`, `message`, `data`) with the HTTP `status` and `time_ms`.
    /// An answer of `originate` with an `originated_call_id` sets `$call` to it.
    public func remember(_ response: SimotelResponse) {
        rememberResponse(
            response.saved == nil ? response.json : nil, status: response.status,
            timeMilliseconds: response.elapsedMilliseconds)
        let path = SimotelAPI.servicePath(response.url)
        if let call = CallIdentifiers.originatedCall(path: path, answer: response.json) {
            setVariable(VariableName.call, call)
        }
    }

    public func rememberResponse(_ json: JSONValue?, status: Int? = nil, timeMilliseconds: Double? = nil) {
        lastResponse = json
        var members: [(String, JSONValue)] = []
        if case .object(let pairs)? = json {
            members = pairs
        } else if let json {
            members = [("data", json)]
        }
        if let status { members = members.filter { $0.0 != "status" } + [("status", .number(Double(status)))] }
        if let timeMilliseconds {
            members = members.filter { $0.0 != JSONValue.elapsedName } + [JSONValue.elapsed(timeMilliseconds)]
        }
        responseValue = members.isEmpty ? nil : .object(members)
    }

    /// `$walk`: the last call `simulate call` walked (its end, path and steps).
    public var walkValue: JSONValue? {
        get { self[\.walkValue] }
        set { self[\.walkValue] = newValue }
    }

    /// `$listener`: the session's listener, `url` (its base URL) and `port`; nil when none runs.
    public var listenerValue: JSONValue? {
        guard let listener else { return nil }
        let port: JSONValue = listener.port.map { JSONValue.number(Double($0)) } ?? .null
        return .object([("url", .string(listener.url)), ("port", port)])
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
