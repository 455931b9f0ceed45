/// One API v4 service: its path under `/api/v4/` and its HTTP method.
/// (The full catalog of api-v4.md §10 grows from here.)
public struct SimotelEndpoint: Sendable, Equatable {
    public var path: String
    public var method: String

    public init(path: String, method: String = "POST") {
        self.path = path
        self.method = method
    }

    /// `PUT setting/ping/act` (api-v4.md §8.1.1); some servers want POST (see `SimotelClient.ping`).
    public static let ping = SimotelEndpoint(path: "setting/ping/act", method: "PUT")
}
