import Foundation
import SimotelKit

/// How a simulator is started.
public struct SimulatorConfiguration: Sendable {
    /// Which methods `setting/ping/act` accepts.
    public enum PingMethod: String, Sendable, CaseIterable {
        case put, post, any
    }

    public var host: String
    public var port: Int
    /// The API account: which auth mode it expects and its secrets.
    public var credentials: SimotelCredentials
    public var pingMethod: PingMethod
    /// Where event webhooks go (G4 POST JSON), or nil to send none.
    public var eventsTo: String?
    /// Start with demo data: users, a queue with agents, a trunk, music on hold, call history,
    /// queue and agent reports, and extension 199 that never answers.
    public var seedDemo: Bool
    /// How calls to or from these numbers end (any other number: answered). Over the demo's.
    public var outcomes: [String: CallOutcome]
    /// Called with one line per request answered (`POST /api/v4/setting/ping/act 200 0.4 ms`):
    /// method, path (never the query or headers), status, time taken. `simsh simulator --verbose`.
    public var requestLog: (@Sendable (String) -> Void)?

    public init(
        host: String = "127.0.0.1", port: Int = 0, credentials: SimotelCredentials = .documentationSample,
        pingMethod: PingMethod = .put, eventsTo: String? = nil, seedDemo: Bool = false,
        outcomes: [String: CallOutcome] = [:], requestLog: (@Sendable (String) -> Void)? = nil
    ) {
        self.seedDemo = seedDemo
        self.outcomes = outcomes
        self.requestLog = requestLog
        self.host = host
        self.port = port
        self.credentials = credentials
        self.pingMethod = pingMethod
        self.eventsTo = eventsTo
    }
}

extension SimotelCredentials {
    /// The sample account of api-v4.md §3 (`test` / `Aa123456` and the sample key), both headers.
    public static let documentationSample = SimotelCredentials(
        user: "test", password: "Aa123456", apiKey: "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG", mode: .both)

    /// Fresh random credentials (for `--demo`).
    public static func random() -> SimotelCredentials {
        func token(_ n: Int) -> String {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            var g = SystemRandomNumberGenerator()
            return String((0..<n).map { _ in alphabet.randomElement(using: &g)! })
        }
        return SimotelCredentials(user: "demo-" + token(6), password: token(24), apiKey: token(50), mode: .both)
    }
}
