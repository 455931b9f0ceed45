import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends event webhooks the way Simotel does (webhooks.md §2). Used by the simulator and by
/// `simulate event`.
public struct WebhookSender: Sendable {
    /// How an event is put on the wire (webhooks.md §2.2–2.3).
    public enum Variant: String, Sendable, CaseIterable {
        /// G4 POST: JSON body to the address itself.
        case g4
        /// Rest4 POST: JSON body to the address + `/EventName`.
        case rest4
        /// GET with the fields as query parameters.
        case get
        /// POST with a form-urlencoded body (versions 2 and 3).
        case form
    }

    public struct Result: Sendable {
        public var url: String
        public var status: Int
        public var elapsedMilliseconds: Double
        /// The receiver's answer (up to 1 MiB): a component service's reply.
        public var body: [UInt8] = []
        public var contentType: String?
    }

    private let logger: Logger
    private let timeout: Double

    /// Simotel's own timeout for calling a receiver (`client_api_caller_timeout`, webhooks.md §2.4).
    public static let defaultTimeout: Double = 5

    public init(timeout: Double = WebhookSender.defaultTimeout, logger: Logger = Logger(label: "simsh.webhook-sender"))
    {
        self.timeout = timeout
        self.logger = logger
    }

    /// Sends `payload` (a JSON object) to `url` in the given variant, with Basic credentials when given.
    /// With a `trace` (`-v`, `trace on`), the request and the answer are shown as the API's are
    /// (`>`/`<` lines, credentials masked).
    public func send(
        _ payload: JSONValue, eventName: String, to url: String, variant: Variant = .g4,
        basicAuth: (user: String, password: String)? = nil, trace: SimotelClient.Trace? = nil
    ) async throws -> Result {
        // `user:password@` in the URL: Basic credentials, as curl takes them (given ones win).
        let (address, fromURL) = ReceiverURL.split(url)
        let (request, target, sentBody) = Self.request(payload, eventName: eventName, to: address, variant: variant)
        var withAuth = request
        if let auth = basicAuth ?? fromURL {
            let (name, value) = ReceiverURL.header(auth)
            withAuth.headers.add(name: name, value: value)
        }
        trace?.request(
            method: withAuth.method.rawValue, url: target, headers: withAuth.headers.map { ($0.name, $0.value) },
            body: sentBody)
        let clock = ContinuousClock()
        let start = clock.now
        // The deadline covers the whole answer, its body included (a receiver that trickles it
        // forever is no answer).
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            (response, body) = try await SimotelClient.withDeadline(seconds: timeout) { [timeout, withAuth] in
                let response = try await WebhookHTTPClient.shared.execute(
                    withAuth, timeout: .milliseconds(Int64(timeout * 1000)))
                return (response, try await response.body.collect(upTo: 1 << 20))
            }
        } catch {
            trace?.failure("\(error)", after: (clock.now - start).milliseconds)
            throw error
        }
        let ms = (clock.now - start).milliseconds
        trace?.response(
            Int(response.status.code), response.status.reasonPhrase,
            headers: response.headers.map { ($0.name, $0.value) }, body: Array(body.readableBytesView),
            phases: SimotelClient.Phases(total: ms))
        logger.debug("sent \(eventName) to \(target): \(response.status.code)")
        return Result(
            url: target, status: Int(response.status.code), elapsedMilliseconds: ms,
            body: Array(body.readableBytesView), contentType: response.headers.first(name: "Content-Type"))
    }

    /// The request of `payload` in `variant` (without credentials), its URL and its body.
    static func request(_ payload: JSONValue, eventName: String, to url: String, variant: Variant) -> (
        HTTPClientRequest, String, [UInt8]?
    ) {
        var target = url
        if variant == .rest4 {
            while target.hasSuffix("/") { target.removeLast() }
            target += "/" + eventName
        }
        var request: HTTPClientRequest
        var sent: [UInt8]?
        switch variant {
        case .g4, .rest4:
            request = HTTPClientRequest(url: target)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            sent = Array(payload.serialized().utf8)
        case .get:
            target += (target.contains("?") ? "&" : "?") + formEncoded(payload)
            request = HTTPClientRequest(url: target)
            request.method = .GET
        case .form:
            request = HTTPClientRequest(url: target)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            sent = Array(formEncoded(payload).utf8)
        }
        if let sent { request.body = .bytes(ByteBuffer(bytes: sent)) }
        request.headers.add(name: "User-Agent", value: "Simotel-simulator/simsh-\(SimotelKitInfo.version)")
        return (request, target, sent)
    }

    /// `event_name=NewState&exten=991`: scalars as text, nested values as JSON text.
    public static func formEncoded(_ payload: JSONValue) -> String {
        guard case .object(let pairs) = payload else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { key, value in
            let text: String
            switch value {
            case .object, .array: text = value.serialized()
            default: text = value.displayText
            }
            return (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key) + "="
                + (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text)
        }.joined(separator: "&")
    }
}
