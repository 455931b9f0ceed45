import Foundation
import HTTPServerKit
import SimotelKit

/// `simsh simulator --verbose`: one line per request (`SimulatorConfiguration.requestLog`).
extension SimotelSimulator {
    /// `POST /api/v4/setting/ping/act 200 0.4 ms`: the method, the path (never the query, which
    /// may carry a caller's data, nor the headers, which carry the secrets), the status answered
    /// and the time the answer took.
    static func logLine(_ request: ServerRequest, status: Int, took: Duration) -> String {
        let ms = String(format: "%.1f", took.milliseconds)
        return "\(printable(request.method)) \(printable(request.path)) \(status) \(ms) ms"
    }

    /// A request the server refused before it was answered (a body over the limit):
    /// `POST /api/v4/pbx/users/add 413 (body of 2000000 bytes over the 1 MiB limit)`.
    static func logLine(_ rejection: ServerRejection) -> String {
        "\(printable(rejection.method ?? "-")) \(printable(rejection.path ?? "-")) \(rejection.status) "
            + "(\(printable(rejection.reason)))"
    }

    /// Control characters (an escape sequence in a path) shown as `?`, so a log line is one line
    /// and cannot drive the terminal.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(scalar.properties.generalCategory == .control ? "?" : scalar)
        }
        return String(out)
    }
}
