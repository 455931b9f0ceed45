import Foundation

/// Simotel's `{success, message, data}` reply (api-v4.md §5).
public struct SimotelEnvelope: Sendable, Equatable {
    /// 1 or 0; nil when the reply had no recognisable success flag.
    public var success: Int?
    public var message: String?
    public var data: JSONValue
    /// The whole parsed body.
    public var raw: JSONValue

    /// Reads an envelope leniently: `success` as a number, numeric string or boolean; the
    /// `pbx/users/add` outlier `{"status":"success",...}` counts as success 1.
    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        raw = json
        if let s = json["success"] {
            success = s.intValue
        } else if let status = json["status"]?.stringValue {
            success = status.lowercased() == "success" ? 1 : 0
        } else {
            success = nil
        }
        switch json["message"] {
        case .string(let m)?: message = m
        case nil, .null?: message = nil
        case let other?: message = other.serialized()
        }
        data = json["data"] ?? .null
        if success == nil && message == nil && json["data"] == nil { return nil }
    }
}
