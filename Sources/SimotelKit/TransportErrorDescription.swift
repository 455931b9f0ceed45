import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Turns the errors of the HTTP stack into one short reason a person understands.
enum TransportErrorDescription {
    static func describe(_ error: Error, timeout: Double) -> String {
        let seconds = timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
        if let e = error as? HTTPClientError {
            if e == .connectTimeout { return "connection timed out after \(seconds) s" }
            if e == .readTimeout || e == .deadlineExceeded { return "no answer within \(seconds) s" }
            if e == .remoteConnectionClosed { return "the server closed the connection" }
            if e == .invalidURL || e == .emptyHost || e == .emptyScheme { return "invalid address" }
            if e == .cancelled { return "cancelled" }
        }
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return describe(first.error, timeout: timeout) }
            if e.dnsAError != nil || e.dnsAAAAError != nil { return "cannot resolve host name" }
        }
        if let e = error as? IOError { return describeErrno(e.errnoCode) }
        if error is NIOSSLError || error is BoringSSLError { return "TLS failure: \(error)" }
        if error is NIOSSLExtraError { return "TLS failure: \(error)" }
        if error is ChannelError { return "connection failed (\(error))" }
        if let e = error as? SocketAddressError { return "cannot resolve host name (\(e))" }
        let text = String(describing: error)
        if text.lowercased().contains("refused") { return "connection refused" }
        if text.lowercased().contains("timeout") || text.lowercased().contains("timed out") {
            return "no answer within \(seconds) s"
        }
        return text
    }

    static func describeErrno(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ETIMEDOUT: return "connection timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case ECONNRESET: return "connection reset by the server"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
