import Foundation

/// One HTTP answer from Simotel, with how long it took.
public struct SimotelResponse: Sendable {
    public var method: String
    public var url: String
    public var status: Int
    public var reason: String
    public var contentType: String?
    public var body: [UInt8] {
        didSet { json = try? JSONValue.parse(body) }
    }
    /// Round-trip time in milliseconds.
    public var elapsedMilliseconds: Double
    /// A redirect's `Location` (redirects are not followed: the error says where to connect).
    public var location: String?
    /// Where a download was written as it arrived, and how many bytes (then `body` is empty).
    public var saved: (path: String, bytes: Int)?

    public init(
        method: String, url: String, status: Int, reason: String, contentType: String?, body: [UInt8],
        elapsedMilliseconds: Double
    ) {
        self.method = method
        self.url = url
        self.status = status
        self.reason = reason
        self.contentType = contentType
        self.body = body
        self.elapsedMilliseconds = elapsedMilliseconds
        self.json = try? JSONValue.parse(body)
    }

    public var isSuccessStatus: Bool { (200..<300).contains(status) }

    /// Why an answer that should be JSON is not (a web server's or a proxy's page where the API
    /// should be).
    public var notJSON: String {
        "HTTP \(status) but not JSON (\(body.count) bytes of \(contentType ?? "unknown type")): "
            + "is \(url) the Simotel API?"
    }

    /// The body as JSON, when it is JSON (parsed once: a large answer is not parsed again per use).
    public private(set) var json: JSONValue?

    /// The body as Simotel's envelope, when it is one.
    public var envelope: SimotelEnvelope? { json.flatMap(SimotelEnvelope.init(json:)) }

    /// Throws `.http` for a non-2xx status and `.api` for `success` 0; returns the envelope otherwise.
    @discardableResult
    public func checked() throws -> SimotelEnvelope {
        let env = envelope
        guard isSuccessStatus else {
            if (300..<400).contains(status), let location {
                throw SimotelError.http(
                    status: status, message: "\(reason): moved to \(location) (connect to that address)")
            }
            throw SimotelError.http(status: status, message: env?.message ?? reason)
        }
        guard let env else {
            throw SimotelError.badResponse(json == nil ? notJSON : "HTTP \(status) without a Simotel envelope")
        }
        if env.success == 0 { throw SimotelError.api(status: status, message: env.message ?? "") }
        return env
    }
}
