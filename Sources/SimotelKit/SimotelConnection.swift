import Foundation

/// Where and how to reach one Simotel server.
public struct SimotelConnection: Sendable, Equatable {
    /// The server root, e.g. `http://192.168.51.20` (never ending in `/api/v4`).
    public var root: String
    public var credentials: SimotelCredentials
    /// Seconds, more than 0 and at most a year (callers check what users give; a value outside
    /// is brought inside rather than trapping when turned into the clocks' integers).
    public var timeout: Double {
        get { boundedTimeout }
        set { boundedTimeout = newValue.isNaN ? 10 : min(max(newValue, 0.001), 366 * 86400) }
    }
    private var boundedTimeout: Double = 10
    public var insecure: Bool
    /// The largest answer held in memory (downloads written to a file are not held).
    public var maxAnswerBytes: Int
    /// A PEM file of certificate authorities trusted besides the system's (`--cacert`, a profile's
    /// `cacert`, `SSL_CERT_FILE`): a PBX whose certificate a private CA issued.
    public var caFile: String?

    public init(
        root: String, credentials: SimotelCredentials, timeout: Double = 10, insecure: Bool = false,
        maxAnswerBytes: Int = SimotelClient.defaultMaxAnswerBytes, caFile: String? = nil
    ) {
        self.root = root
        self.credentials = credentials
        self.insecure = insecure
        self.maxAnswerBytes = maxAnswerBytes
        self.caFile = caFile
        self.timeout = timeout
    }

    /// True when TLS certificates are not checked on this connection.
    public var skipsVerification: Bool { insecure && root.lowercased().hasPrefix("https://") }

    /// `root` + `/api/v4/`.
    public var apiBase: String { root + SimotelAPI.prefix }

    /// The full URL of an API path such as `setting/ping/act`.
    public func url(for path: String) -> String {
        apiBase + SimotelAPI.servicePath(path)
    }

    /// Normalises what a user types as a server address: adds `http://` when no scheme is
    /// given, drops a trailing `/` and a trailing `/api/v4`, and takes `user:password@`
    /// out of the address. Returns nil for text that is not an http(s) address.
    public static func parseAddress(_ text: String) -> (root: String, user: String?, password: String?)? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if !t.contains("://") { t = "http://" + t }
        guard var comps = URLComponents(string: t),
            let scheme = comps.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = comps.host, !host.isEmpty
        else { return nil }
        let user = comps.user.flatMap { $0.removingPercentEncoding ?? $0 }
        let password = comps.password.flatMap { $0.removingPercentEncoding ?? $0 }
        comps.user = nil
        comps.password = nil
        comps.query = nil
        comps.fragment = nil
        comps.path = SimotelAPI.serverPath(comps.path)
        comps.scheme = scheme
        guard let root = comps.string else { return nil }
        return (root, user, password)
    }
}
