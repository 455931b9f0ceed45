import Foundation
import SimotelKit
import SimshLanguage

/// A saved connection. A secret is kept either literally (`password`, `api_key`, in a 0600
/// file) or as the name of an environment variable that holds it (`password_env`, `api_key_env`).
public struct Profile: Equatable, Sendable {
    public var name: String
    public var url: String
    public var user: String?
    public var password: String?
    public var passwordEnv: String?
    public var apiKey: String?
    public var apiKeyEnv: String?
    public var auth: AuthMode?
    public var timeout: Double?
    public var insecure: Bool
    /// Ask before destructive actions in the shell (default true).
    public var confirm: Bool?
    /// The Basic credentials `listen events` requires (what Simotel's API Username/Password hold).
    public var listenUser: String?
    public var listenPassword: String?
    public var listenPasswordEnv: String?
    /// The largest API answer kept in memory (`max_size`, `--max-size`).
    public var maxSize: Int?
    /// A PEM file of the private CA that issued the server's certificate (`cacert`, `--cacert`).
    public var cacert: String?
    /// The event store (`store`: a file, a postgresql:// URL, or "off"), how long its records
    /// are kept (`store_keep_days`) and the variable holding a PostgreSQL password
    /// (`store_password_env`).
    public var store: String?
    public var storeKeepDays: Double?
    public var storePasswordEnv: String?

    public init(
        name: String, url: String, user: String? = nil, password: String? = nil, passwordEnv: String? = nil,
        apiKey: String? = nil, apiKeyEnv: String? = nil, auth: AuthMode? = nil, timeout: Double? = nil,
        insecure: Bool = false, confirm: Bool? = nil
    ) {
        self.name = name
        self.url = url
        self.user = user
        self.password = password
        self.passwordEnv = passwordEnv
        self.apiKey = apiKey
        self.apiKeyEnv = apiKeyEnv
        self.auth = auth
        self.timeout = timeout
        self.insecure = insecure
        self.confirm = confirm
    }

    /// True when the profile holds a secret literally (then its file must be private).
    public var holdsSecrets: Bool { password != nil || apiKey != nil || listenPassword != nil }

    /// The Basic credentials the listener requires, when the profile names them.
    public func listenerCredentials(environment env: [String: String]) throws -> (user: String, password: String)? {
        guard let listenUser else { return nil }
        if let listenPassword { return (listenUser, listenPassword) }
        guard let variable = listenPasswordEnv else {
            throw SimshError.usage("profile \(name): listen_user needs listen_password or listen_password_env")
        }
        guard let v = env[variable], !v.isEmpty else {
            throw SimshError.usage("profile \(name): environment variable \(variable) is not set")
        }
        return (listenUser, v)
    }

    /// Valid profile names: letters, digits, `-`, `_`, `.`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// The connection this profile describes; `SIMSH_URL`, `SIMSH_USER`, `SIMSH_PASSWORD`,
    /// `SIMSH_API_KEY` override its fields. `SSL_CERT_FILE` is the CA file of an https:// server
    /// when the profile names none. A CA file that cannot be used is an error here, before
    /// anything is sent.
    public func connection(environment env: [String: String]) throws -> SimotelConnection {
        func value(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        let urlText = value("SIMSH_URL") ?? url
        guard let address = SimotelConnection.parseAddress(urlText) else {
            throw SimshError.usage("profile \(name): invalid URL '\(Redactor.fallback(urlText))'")
        }
        func secret(literal: String?, envName: String?, override: String) throws -> String? {
            if let v = value(override) { return v }
            if let literal { return literal }
            if let envName {
                guard let v = env[envName] else {
                    throw SimshError.usage("profile \(name): environment variable \(envName) is not set")
                }
                guard !v.isEmpty else {
                    throw SimshError.usage("profile \(name): environment variable \(envName) is empty")
                }
                return v
            }
            return nil
        }
        let user = value("SIMSH_USER") ?? user ?? address.user
        let password =
            try secret(literal: password, envName: passwordEnv, override: "SIMSH_PASSWORD") ?? address.password
        let apiKey = try secret(literal: apiKey, envName: apiKeyEnv, override: "SIMSH_API_KEY")
        let credentials = SimotelCredentials(user: user, password: password, apiKey: apiKey, mode: auth)
        return SimotelConnection(
            root: address.root, credentials: credentials, timeout: timeout ?? 10, insecure: insecure,
            maxAnswerBytes: maxSize ?? SimotelClient.defaultMaxAnswerBytes,
            caFile: try caFile(root: address.root, environment: env))
    }

    /// The CA file to trust: the profile's `cacert` (`~/` expanded), else `SSL_CERT_FILE` for an
    /// https:// server; checked, so that a file that is missing or holds no PEM certificate is one
    /// line now rather than a TLS failure later.
    func caFile(root: String, environment env: [String: String]) throws -> String? {
        if let cacert {
            let path = Self.expandingTilde(cacert, environment: env)
            if let problem = CAFile.problem(at: path) {
                let origin = name.isEmpty ? "--cacert" : "profile \(name): cacert"
                throw SimshError.io("\(origin) \(path): \(problem)")
            }
            return path
        }
        guard root.lowercased().hasPrefix("https://"), let path = env["SSL_CERT_FILE"], !path.isEmpty else {
            return nil
        }
        if let problem = CAFile.problem(at: path) { throw SimshError.io("SSL_CERT_FILE \(path): \(problem)") }
        return path
    }

    /// `~/x` as `$HOME/x` (a profile's paths are not read by a shell).
    public static func expandingTilde(_ path: String, environment env: [String: String]) -> String {
        guard path.hasPrefix("~/"), let home = env["HOME"] ?? ProcessInfo.processInfo.environment["HOME"] else {
            return path
        }
        return home + path.dropFirst(1)
    }
}
