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
    /// What credentials the request carried, in words (`SimotelCredentials.sentDescription`).
    public var sentCredentials: String?

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
            throw SimotelError.http(status: status, message: errorMessage(env?.message ?? reason))
        }
        guard let env else {
            throw SimotelError.badResponse(json == nil ? notJSON : "HTTP \(status) without a Simotel envelope")
        }
        if env.success == 0 { throw SimotelError.api(status: status, message: env.message ?? "") }
        return env
    }

    /// `PUT http://host/api/v4/setting/ping/act`: what was asked for.
    public var requested: String { "\(method) \(url)" }

    /// A non-2xx answer's message with what helps to mend it: for 401 the credentials sent, for
    /// 404 the URL asked for, for nginx's "plain HTTP request was sent to HTTPS port" the https://
    /// address to use.
    func errorMessage(_ message: String) -> String {
        switch status {
        case 401:
            return sentCredentials.map { message + "; " + $0 } ?? message
        case 404:
            return message + "; requested " + requested
        case 400 where String(decoding: body.prefix(4096), as: UTF8.self).contains("request was sent to HTTPS port"):
            return "the server speaks TLS on this port: try \(httpsAddress)"
        default:
            return message
        }
    }

    /// The answer's address with https:// (`https://host:port`), for a plain request to a TLS port.
    var httpsAddress: String {
        guard var c = URLComponents(string: url) else { return "https://" }
        c.scheme = "https"
        c.path = ""
        c.query = nil
        return c.string ?? "https://"
    }
}
