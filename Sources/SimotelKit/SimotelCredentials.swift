import Foundation

/// Which of api-v4.md §3's authentication schemes a request uses.
public enum AuthMode: String, CaseIterable, Sendable, Codable {
    /// `Authorization: Basic base64(user:password)` only.
    case basic
    /// `X-APIKEY: token` only.
    case key
    /// Both headers (the docs' recommendation).
    case both
}

/// The secrets a connection authenticates with. Its description never shows them.
public struct SimotelCredentials: Sendable, Equatable, CustomStringConvertible {
    public var user: String?
    public var password: String?
    public var apiKey: String?
    public var mode: AuthMode

    public init(user: String? = nil, password: String? = nil, apiKey: String? = nil, mode: AuthMode? = nil) {
        self.user = user
        self.password = password
        self.apiKey = apiKey
        self.mode = mode ?? Self.inferredMode(user: user, apiKey: apiKey)
    }

    /// `both` when a user and a key are known, else whichever is known.
    public static func inferredMode(user: String?, apiKey: String?) -> AuthMode {
        switch (user?.isEmpty == false, apiKey?.isEmpty == false) {
        case (true, true): return .both
        case (false, true): return .key
        default: return .basic
        }
    }

    /// The authentication headers of the mode, exactly as api-v4.md §3 lists them.
    /// A header whose secret is unknown is left out (the server then answers 401).
    public var headers: [(name: String, value: String)] {
        var result: [(String, String)] = []
        if mode == .basic || mode == .both, let user {
            let token = Data("\(user):\(password ?? "")".utf8).base64EncodedString()
            result.append(("Authorization", "Basic \(token)"))
        }
        if mode == .key || mode == .both, let apiKey {
            result.append(("X-APIKEY", apiKey))
        }
        return result
    }

    /// What a request with these credentials carried, in words and never the secrets (for a 401):
    /// `sent Authorization: Basic for user 'test' and X-APIKEY (auth both)`, and what the mode
    /// wanted but had nothing to send. `extraHeaders` names credential headers given with `-H`.
    public func sentDescription(extraHeaders: [String] = []) -> String {
        if user == nil && apiKey == nil && extraHeaders.isEmpty { return "sent no credentials (no user, no API key)" }
        var sent: [String] = []
        var unsent: [String] = []
        if mode == .basic || mode == .both {
            if let user {
                sent.append("Authorization: Basic for user '\(user)'" + (password == nil ? " with no password" : ""))
            } else {
                unsent.append("Authorization (no user)")
            }
        }
        if mode == .key || mode == .both {
            if apiKey != nil { sent.append("X-APIKEY") } else { unsent.append("X-APIKEY (no API key)") }
        }
        sent += extraHeaders.map { "\($0) (-H)" }
        var text = sent.isEmpty ? "sent no credentials" : "sent " + sent.joined(separator: " and ")
        text += " (auth \(mode.rawValue)"
        if !unsent.isEmpty { text += "; not sent: " + unsent.joined(separator: ", ") }
        return text + ")"
    }

    public var description: String {
        if user == nil && apiKey == nil { return "no credentials" }
        var parts = ["auth \(mode.rawValue)"]
        if let user { parts.append("user \(user)") }
        if password != nil { parts.append("password ****") }
        if apiKey != nil { parts.append("api key ****") }
        return parts.joined(separator: ", ")
    }
}
