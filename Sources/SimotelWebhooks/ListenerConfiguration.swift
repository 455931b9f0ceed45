import Foundation
import HTTPServerKit
import SimshRecords

/// How `listen events` runs.
public struct ListenerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The path prefix events arrive under (`/` or `/hooks`).
    public var path: String
    /// When set, requests must carry these Basic credentials.
    public var basicAuth: (user: String, password: String)?
    /// Append one JSON line per event here, before answering 200.
    public var logFile: String?
    /// Record only these events (case-insensitive); nil records all.
    public var eventFilter: Set<String>?
    /// Send every recorded event on to this URL.
    public var forwardTo: String?
    public var forwardHeaders: [(String, String)]
    public var keep: Int
    /// The most bytes of events kept in memory (oldest dropped first).
    public var keepBytes: Int
    /// Answer 400 to a body that is not RFC 8259 JSON, even one Simotel's own samples print (a
    /// Python literal, a bare leading-zero number), instead of reading it as the JSON it means:
    /// for an integrator testing a sender of their own.
    public var strict: Bool
    public var limits: ServerLimits
    /// Where every accepted event is stored before it is answered 200, and every component
    /// request right after its reply (nil: kept in memory and the log only).
    public var recordStore: (any RecordStore)?

    public init(
        host: String = "127.0.0.1", port: Int = 0, path: String = "/",
        basicAuth: (user: String, password: String)? = nil,
        logFile: String? = nil, eventFilter: Set<String>? = nil, forwardTo: String? = nil,
        forwardHeaders: [(String, String)] = [], keep: Int = 10_000, keepBytes: Int = 64 << 20, strict: Bool = false,
        limits: ServerLimits = ServerLimits(maxBodyBytes: 1 << 20, idleTimeoutSeconds: 10, requestTimeoutSeconds: 30)
    ) {
        self.host = host
        self.port = port
        self.path = path
        self.basicAuth = basicAuth
        self.logFile = logFile
        self.eventFilter = eventFilter
        self.forwardTo = forwardTo
        self.forwardHeaders = forwardHeaders
        self.keep = keep
        self.keepBytes = keepBytes
        self.strict = strict
        self.limits = limits
    }
}
