import Foundation
import SafeFiles
import SimotelKit
import SimshLanguage

/// Prints an API answer the one way answers are printed, remembers it as `$response…`, and
/// turns HTTP errors and `success` 0 into exit status 4.
package struct ResponsePrinter {
    let session: Session
    let command: String
    /// Tables as wide as their contents (`--wide`), not cut to the terminal.
    var wide = false
    /// The table's columns (`--columns a,b,c`) instead of the catalog's.
    var columns: [String]?

    package init(session: Session, command: String, wide: Bool = false, columns: [String]? = nil) {
        self.session = session
        self.command = command
        self.wide = wide
        self.columns = columns
    }

    /// The one JSON line of an API command (`--output json`): the same keys for every command.
    package static func jsonLine(command: String, _ response: SimotelResponse) -> JSONValue {
        let envelope = response.envelope
        return .object([
            ("type", .string(LineType.answer.rawValue)),
            ("command", .string(command)),
            ("method", .string(response.method)),
            ("url", .string(response.url)),
            ("status", .number(Double(response.status))),
            ("success", envelope?.success.map { .number(Double($0)) } ?? .null),
            ("message", envelope?.message.map(JSONValue.string) ?? .null),
            ("data", envelope?.data ?? response.json ?? .null),
            JSONValue.elapsed(response.elapsedMilliseconds),
        ])
    }

    package func show(_ response: SimotelResponse, out: String? = nil) throws {
        if let saved = response.saved {
            session.remember(response)
            session.output.line(
                "wrote \(saved.bytes) bytes (\(response.contentType ?? "unknown type")) to \(saved.path)")
            return
        }
        let json = response.json
        session.remember(response)
        if json == nil, response.isSuccessStatus, !response.body.isEmpty {
            // A service that answers JSON answering something else (a proxy's or a web server's
            // page) is a wrong answer, not a file to save.
            if out == nil, let spec = EndpointCatalog.endpoint(path: SimotelAPI.servicePath(response.url)),
                spec.body != .download
            {
                throw SimshError.from(SimotelError.badResponse(response.notJSON), context: "\(command) failed")
            }
            try saveBinary(response, to: out)
            return
        }
        let envelope = response.envelope
        switch session.outputMode {
        case .json:
            session.output.json(Self.jsonLine(command: command, response))
        case .auto, .table, .pretty:
            if let json, response.isSuccessStatus, envelope?.success != 0 {
                let tables = session.outputMode == .table || (session.outputMode == .auto && session.outputIsTerminal)
                if tables, let data = envelope?.data, let rows = ResultTable.rows(data) {
                    let path = SimotelAPI.servicePath(response.url)
                    if let columns { try ResultTable.check(columns, in: rows) }
                    session.output.page(
                        ResultTable.render(
                            rows, columns: columns ?? EndpointCatalog.tableColumns(forPath: path),
                            total: SimotelAPI.total(of: data),
                            width: wide ? nil : session.terminalWidth?(), style: session.output.style))
                } else {
                    session.output.pretty(json)
                }
            }
        }
        if response.status == 404 && json == nil {
            throw SimshError(
                .api,
                out != nil
                    ? "\(command): no such file (HTTP 404); nothing written"
                    : "\(command): HTTP 404: no such service; requested \(response.requested)")
        }
        do {
            try response.checked()
        } catch {
            throw SimshError.from(error, context: "\(command) failed")
        }
    }

    func saveBinary(_ response: SimotelResponse, to out: String?) throws {
        let type = response.contentType ?? "unknown type"
        guard let out else {
            throw SimshError.usage(
                "\(command): the answer is \(response.body.count) bytes of \(type); save it with --out FILE")
        }
        do { try SafeFile.write(response.body, to: out, mode: 0o644) } catch { throw SimshError.io(error.description) }
        session.output.line("wrote \(response.body.count) bytes (\(type)) to \(out)")
    }
}
