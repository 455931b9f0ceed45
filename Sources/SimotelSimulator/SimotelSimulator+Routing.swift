import Foundation
import HTTPServerKit
import SimotelKit

extension SimotelSimulator {
    /// One API service the simulator knows: the methods it accepts and what it does.
    struct Service: Sendable {
        var methods: Set<String>
        var run: @Sendable (SimotelSimulator, JSONValue) -> ServerResponse
        /// For multipart uploads: the request as it came (it checks its own Content-Type).
        var upload: (@Sendable (SimotelSimulator, ServerRequest) -> ServerResponse)? = nil
    }

    /// The services by path under `/api/v4/`.
    static func services(for configuration: SimulatorConfiguration) -> [String: Service] {
        let pingMethods: Set<String>
        switch configuration.pingMethod {
        case .put: pingMethods = ["PUT"]
        case .post: pingMethods = ["POST"]
        case .any: pingMethods = ["PUT", "POST"]
        }
        var table: [String: Service] = [
            "setting/ping/act": Service(methods: pingMethods) { sim, _ in sim.ping() }
        ]
        for spec in EndpointCatalog.all where table[spec.path] == nil {
            if var service = fileService(spec) ?? callService(spec) ?? otherService(spec) ?? recordService(spec) {
                // Every field the documentation marks R, for every service, in one place (§0, §7),
                // and the records fields name (a campaign's trunk manager).
                if service.upload == nil {
                    let run = service.run
                    service.run = { sim, body in
                        sim.missingField(spec, body) ?? sim.missingReference(spec, body) ?? run(sim, body)
                    }
                }
                table[spec.path] = service
            }
        }
        return table
    }

    /// Answers one HTTP request in the order a Simotel server checks it:
    /// path (404), credentials (401), service (501), method (405), Content-Type (415), body (400).
    func handle(_ request: ServerRequest) -> ServerResponse {
        var path = request.path
        while path.contains("//") { path = path.replacingOccurrences(of: "//", with: "/") }
        guard path.hasPrefix(SimotelAPI.prefix) else {
            return ServerResponse(
                status: 404, headers: [("Content-Type", "text/html")], body: Array(SimulatorMessages.notFoundPage.utf8))
        }
        if let failure = authenticate(request) { return failure }
        let servicePath = SimotelAPI.servicePath(path)
        guard let service = serviceTable[servicePath] else {
            return Self.envelope(501, success: 0, message: SimulatorMessages.noSuchService)
        }
        guard service.methods.contains(request.method.uppercased()) else {
            return Self.envelope(405, success: 0, message: SimulatorMessages.methodNotAllowed)
        }
        if let upload = service.upload { return upload(self, request) }
        let media = request.mediaType
        if media != nil && media != "application/json" || media == nil && !request.body.isEmpty {
            return Self.envelope(415, success: 0, message: SimulatorMessages.unsupportedMediaType)
        }
        // An empty body, and JSON that is not an object (`[]`, which the official PHP SDK sends for
        // every call without data, or `null`), are taken as `{}`: a service with required fields
        // then answers which is missing, as for `{}`. Only text that is not JSON is refused.
        let body: JSONValue
        if request.body.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            body = .object([])
        } else if let parsed = try? JSONValue.parse(request.body) {
            if case .object = parsed { body = parsed } else { body = .object([]) }
        } else {
            return Self.envelope(400, success: 0, message: SimulatorMessages.unparsable)
        }
        return service.run(self, body)
    }

    /// Checks the headers the account's mode requires (api-v4.md §3). Nothing supplied: "missing";
    /// anything wrong or incomplete: "invalid".
    func authenticate(_ request: ServerRequest) -> ServerResponse? {
        let expected = configuration.credentials
        let authorization = request.header("Authorization")
        let apiKey = request.header("X-APIKEY")
        if authorization == nil && apiKey == nil {
            return Self.envelope(401, success: 0, message: SimulatorMessages.credentialsMissing)
        }
        var ok = true
        if expected.mode == .basic || expected.mode == .both {
            let want = "Basic " + Data("\(expected.user ?? ""):\(expected.password ?? "")".utf8).base64EncodedString()
            ok =
                ok
                && authorization.map { Self.constantTimeEqual(Self.normalizeBasic($0), Self.normalizeBasic(want)) }
                    == true
        }
        if expected.mode == .key || expected.mode == .both {
            ok = ok && apiKey.map { Self.constantTimeEqual($0, expected.apiKey ?? "") } == true
        }
        return ok ? nil : Self.envelope(401, success: 0, message: SimulatorMessages.credentialsInvalid)
    }

    /// Basic tokens are accepted with or without `=` padding (the docs print both).
    static func normalizeBasic(_ header: String) -> String {
        var h = header.trimmingCharacters(in: .whitespaces)
        while h.hasSuffix("=") { h.removeLast() }
        if h.lowercased().hasPrefix("basic ") { h = "Basic " + h.dropFirst(6).trimmingCharacters(in: .whitespaces) }
        return h
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }

    static func envelope(_ status: Int, success: Int, message: String?, data: JSONValue = .null) -> ServerResponse {
        let body = JSONValue.object([
            ("success", .number(Double(success))),
            ("message", message.map(JSONValue.string) ?? .null),
            ("data", data),
        ])
        return .json(status, body.serialized())
    }

    /// `setting/ping/act` (api-v4.md §8.1.1), then the Ping event webhook.
    func ping() -> ServerResponse {
        emit(.object([("event_name", .string("Ping"))]), name: "Ping")
        return Self.envelope(200, success: 1, message: SimulatorMessages.ping)
    }
}
