import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import SimshRecords

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A team's store as its URL names it: `postgresql://USER@HOST:PORT/DB?sslmode=…`. The port is
/// 5432 unless given; the user is the login name and the database the user's name unless given,
/// as with libpq. A password never comes from the URL (the caller passes PGPASSWORD or the
/// profile's `store_password_env`).
///
/// TLS (`sslmode`): `disable` connects in clear; `prefer` uses TLS when the server offers it;
/// `require` encrypts without verifying the certificate, as libpq's `require` does; `verify-ca`
/// checks the certificate against the trusted roots (`sslrootcert=FILE`, else the system's);
/// `verify-full` also checks that it names the host. Without `sslmode`, a store on 127.0.0.1,
/// localhost, ::1 or a Unix socket is reached in clear (`disable`) and any other with `require`.
/// A Unix socket is named as libpq names it: `?host=/run/postgresql` (the socket's directory) or
/// a host that is that directory, percent-encoded.
public struct PostgresStoreSettings: Sendable, Equatable {
    public enum SSLMode: String, Sendable, Equatable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    /// The host name or address (empty with a Unix socket).
    public var host: String
    public var port: Int
    public var database: String
    /// The directory of the server's Unix socket, when it is reached through one.
    public var socketDirectory: String?
    public var sslMode: SSLMode
    /// The CA file `verify-ca` and `verify-full` trust (nil: the system's roots).
    public var rootCertificate: String?
    /// Seconds to wait for a connection.
    public var connectTimeout: Int
    /// As `listen status` and every message show it: `postgresql://user@host:port/db`, no password.
    public var location: String

    /// What every connection tells the server: simsh's name (in `pg_stat_activity`) and UTF-8.
    static let startupParameters: [(String, String)] = [("application_name", "simsh"), ("client_encoding", "UTF8")]

    public static func parse(_ url: String) throws(StoreError) -> PostgresStoreSettings {
        let notURL = StoreError("'\(url)' is not a PostgreSQL URL (postgresql://USER@HOST:PORT/DB)")
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(),
            scheme == "postgresql" || scheme == "postgres"
        else { throw notURL }
        if c.password != nil {
            throw StoreError(
                "a password in the store's URL would show in ps and history: "
                    + "give it in PGPASSWORD (or the profile's store_password_env) instead")
        }
        var host = c.percentEncodedHost?.removingPercentEncoding ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var socketDirectory: String? = host.hasPrefix("/") ? host : nil
        var mode: SSLMode?
        var rootCertificate: String?
        var connectTimeout = 10
        for item in c.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let m = SSLMode(rawValue: value) else {
                    throw StoreError(
                        "sslmode=\(value) in the store's URL: give disable, prefer, require, verify-ca or verify-full")
                }
                mode = m
            case "sslrootcert":
                rootCertificate = value
            case "host":
                if value.hasPrefix("/") { socketDirectory = value } else { host = value }
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw StoreError("connect_timeout=\(value) in the store's URL: give a number of seconds")
                }
                connectTimeout = seconds
            default:
                throw StoreError(
                    "the store's URL has an option simsh does not know: \(item.name) "
                        + "(it knows sslmode, sslrootcert, host and connect_timeout)")
            }
        }
        if socketDirectory != nil { host = "" }
        guard !host.isEmpty || socketDirectory != nil else { throw notURL }
        let port = c.port ?? 5432
        guard (1...65535).contains(port) else { throw StoreError("port \(port) in the store's URL is not a port") }
        let user = c.user.flatMap { $0.isEmpty ? nil : $0 } ?? loginName()
        var database = String(c.path.drop(while: { $0 == "/" }))
        if database.isEmpty { database = user }
        let local = socketDirectory != nil || ["127.0.0.1", "localhost", "::1"].contains(host.lowercased())
        return PostgresStoreSettings(
            user: user, host: host, port: port, database: database, socketDirectory: socketDirectory,
            sslMode: socketDirectory != nil ? .disable : (mode ?? (local ? .disable : .require)),
            rootCertificate: rootCertificate, connectTimeout: connectTimeout,
            location: shown(user: user, host: host, port: port, database: database, socket: socketDirectory))
    }

    /// The URL as messages show it.
    static func shown(user: String, host: String, port: Int, database: String, socket: String?) -> String {
        if let socket { return "postgresql://\(user)@localhost:\(port)/\(database)?host=\(socket)" }
        let address = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(address):\(port)/\(database)"
    }

    /// libpq's default user: the name the process runs as.
    static func loginName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
    }

    /// TLS as `sslmode` asks (nil: none).
    func tlsConfiguration() -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return nil
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let rootCertificate { tls.trustRoots = .file(rootCertificate) }
        return tls
    }

    /// The pool's configuration.
    func clientConfiguration(password: String?) -> PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        if let socketDirectory {
            config = PostgresClient.Configuration(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        } else {
            var tls = PostgresClient.Configuration.TLS.disable
            if let t = tlsConfiguration() { tls = sslMode == .prefer ? .prefer(t) : .require(t) }
            config = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        config.options.connectTimeout = .seconds(connectTimeout)
        config.options.additionalStartupParameters = Self.startupParameters
        return config
    }

    /// One connection of its own, outside the pool: opening the store (the pool retries a failed
    /// connection for a minute without saying why; this says why at once) and finding out why
    /// the pool cannot connect. Its errors are one line in words.
    func connect(password: String?, logger: Logger, timeout: Int? = nil) async throws(StoreError)
        -> PostgresConnection
    {
        var config: PostgresConnection.Configuration
        if let socketDirectory {
            config = PostgresConnection.Configuration(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        } else {
            var tls = PostgresConnection.Configuration.TLS.disable
            if let t = tlsConfiguration() {
                do {
                    let context = try NIOSSLContext(configuration: t)
                    tls = sslMode == .prefer ? .prefer(context) : .require(context)
                } catch {
                    let why = rootCertificate.map { ": cannot read the CA file \($0)" } ?? ""
                    throw StoreError("cannot set up TLS for the event store \(location)\(why)")
                }
            }
            config = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        let seconds = timeout ?? connectTimeout
        config.options.connectTimeout = .seconds(Int64(seconds))
        config.options.additionalStartupParameters = Self.startupParameters
        do {
            return try await PostgresConnection.connect(configuration: config, id: 0, logger: logger)
        } catch {
            throw StoreError(
                "cannot connect to the event store \(location): \(PostgresRecordStore.reason(error, timeout: seconds))")
        }
    }
}
