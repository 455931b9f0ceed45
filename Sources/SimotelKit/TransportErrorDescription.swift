import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Turns the errors of the HTTP stack into one short line a person understands, never a
/// library's dump: the same words for API calls, forwarding and `simulate event`.
public enum TransportErrorDescription {
    /// Thrown when a whole exchange did not finish within its timeout.
    struct DeadlineExceeded: Error {}

    /// `no answer within 3 s`.
    public static func noAnswer(within timeout: Double) -> String { "no answer within \(seconds(timeout)) s" }

    static func seconds(_ timeout: Double) -> String {
        timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
    }

    /// The reason, looking further when a certificate was refused (expired, self-signed, ...) and
    /// when a plain http:// request met a TLS port. `insecureOption` names the option that skips
    /// verification and `caOption` the one that gives a CA file, for the hint; `caFile` is the CA
    /// file in use, if any.
    public static func describe(
        _ error: Error, timeout: Double, url: String? = nil, insecureOption: String? = nil,
        caOption: String? = nil, caFile: String? = nil
    ) async -> String {
        let reason = describeNow(error, timeout: timeout)
        let c = url.flatMap { URLComponents(string: $0) }
        let scheme = c?.scheme?.lowercased()
        if let c, let host = c.host, scheme == "http", plainToTLSSymptoms.contains(reason) {
            guard await TLSDiagnosis.speaksTLS(host: host, port: c.port ?? 80) else { return reason }
            var https = c
            https.scheme = "https"
            https.user = nil
            https.password = nil
            https.path = ""
            https.query = nil
            https.fragment = nil
            return reason + "; the server speaks TLS on this port: try \(https.string ?? "https://")"
        }
        guard reason == certificateNotTrusted else { return reason }
        var why = "not trusted"
        if let c, let host = c.host, scheme == "https" {
            why = await TLSDiagnosis.untrustedReason(host: host, port: c.port ?? 443)
        }
        var hints: [String] = []
        if why.hasPrefix("not trusted") {
            // `not trusted (self-signed; CA file in use: /etc/pbx-ca.pem)`
            if let caFile {
                let note = "CA file in use: \(caFile)"
                why = why.hasSuffix(")") ? String(why.dropLast()) + "; \(note))" : why + " (\(note))"
            }
            if let caOption { hints.append("trust its CA with \(caOption)") }
        }
        let text = "TLS: certificate \(why)"
        if let insecureOption { hints.append("use \(insecureOption) to skip verification") }
        return hints.isEmpty ? text : text + "; " + hints.joined(separator: ", or ")
    }

    /// What a plain HTTP request to a TLS port ends in: the server's alert is not HTTP, or it
    /// closes (or resets) the connection without a word.
    static let plainToTLSSymptoms: Set<String> = [
        "the server's answer is not valid HTTP", "the server closed the connection", "connection reset by the server",
        "connection failed",
    ]

    static let certificateNotTrusted = "TLS: certificate not trusted"

    /// The reason, from the error alone.
    public static func describeNow(_ error: Error, timeout: Double) -> String {
        if error is DeadlineExceeded { return noAnswer(within: timeout) }
        if let e = error as? HTTPClientError {
            if e == .connectTimeout { return "connection timed out after \(seconds(timeout)) s" }
            if e == .readTimeout || e == .deadlineExceeded { return noAnswer(within: timeout) }
            if e == .remoteConnectionClosed { return "the server closed the connection" }
            if e == .invalidURL || e == .emptyHost || e == .emptyScheme { return "invalid address" }
            if "\(e)".contains("unsupportedScheme") { return "unsupported URL scheme (use http:// or https://)" }
            if e == .cancelled { return "cancelled" }
            if e == .bodyLengthMismatch { return "the answer was cut short" }
        }
        if let e = error as? HTTPParserError {
            // The connection closed before the answer's Content-Length was read.
            if e == .invalidEOFState { return "the answer was cut short (the server closed the connection)" }
            return "the server's answer is not valid HTTP"
        }
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return describeNow(first.error, timeout: timeout) }
            if e.dnsAError != nil || e.dnsAAAAError != nil { return "cannot resolve the host name" }
        }
        if let e = error as? IOError { return describeErrno(e.errnoCode) }
        if let e = error as? NIOSSLExtraError {
            if e == .failedToValidateHostname { return "TLS: the certificate is not valid for this host name" }
            return "TLS: handshake failed"
        }
        if let e = error as? NIOSSLError {
            switch e {
            case .handshakeFailed(let inner): return describeTLS("\(inner)")
            case .uncleanShutdown: return "the server closed the connection without finishing TLS"
            default: return "TLS: handshake failed"
            }
        }
        if let e = error as? BoringSSLError { return describeTLS("\(e)") }
        if let e = error as? ChannelError {
            switch e {
            case .connectTimeout: return "connection timed out after \(seconds(timeout)) s"
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
                return "the server closed the connection"
            default: return "connection failed"
            }
        }
        if error is SocketAddressError { return "cannot resolve the host name" }
        if error is NIOTooManyBytesError { return "answer too large" }
        let text = String(describing: error).lowercased()
        if text.contains("refused") { return "connection refused" }
        if text.contains("timeout") || text.contains("timed out") { return noAnswer(within: timeout) }
        if text.contains("reset") { return "connection reset by the server" }
        return "connection failed"
    }

    /// A BoringSSL error stack (`…OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path…`) in words.
    static func describeTLS(_ text: String) -> String {
        let code: String
        if let r = text.range(of: "OPENSSL_internal:") {
            code = String(text[r.upperBound...].prefix { $0.isLetter || $0 == "_" || $0.isNumber })
        } else {
            code = ""
        }
        switch code {
        case "CERTIFICATE_VERIFY_FAILED": return certificateNotTrusted
        case "WRONG_VERSION_NUMBER", "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST", "RECORD_TOO_LARGE":
            return "TLS: the server does not speak TLS on this port (try http://)"
        case "TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_SUPPORTED_VERSIONS_ENABLED":
            return "TLS: no protocol version in common with the server"
        case "":
            return "TLS: handshake failed"
        default:
            return "TLS: handshake failed (" + code.lowercased().replacingOccurrences(of: "_", with: " ") + ")"
        }
    }

    static func describeErrno(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ETIMEDOUT: return "connection timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case ECONNRESET: return "connection reset by the server"
        case EPIPE: return "the server closed the connection"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
