import ArgumentParser
import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime

struct Ping: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Check the connection and credentials",
        discussion: """
            Sends PUT /api/v4/setting/ping/act with the body {} and the connection's auth headers, \
            and prints Simotel's success flag, message and the round-trip time. A server that answers \
            405 is asked again with POST, which is then used for the rest of the connection. If the \
            Ping event is enabled on the server, Simotel also sends a Ping event webhook. \
            Exit status: 3 when the server cannot be reached, 4 for an HTTP error or success 0.
            """
    )

    func run(in session: Session) async throws {
        let client = try session.requireClient()
        let result = try await client.ping()
        if result.switchedToPost {
            session.output.note("the server refused PUT for ping (405); using POST for the rest of this connection")
        }
        let response = result.response
        let envelope = response.envelope
        session.remember(response)
        switch session.outputMode {
        case .json:
            session.output.json(ResponsePrinter.jsonLine(command: "ping", response))
        case .auto, .table, .pretty:
            if response.isSuccessStatus, let envelope, envelope.success != 0 {
                let ms = String(format: "%.1f", response.elapsedMilliseconds)
                session.output.line("ping ok (success \(envelope.success ?? 1), \(ms) ms): \(envelope.message ?? "")")
            }
        }
        do {
            try response.checked()
        } catch {
            throw SimshError.from(error, context: "ping failed")
        }
    }
}

extension Ping: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Check the connection and credentials:",
            "simsh demo> ping",
            "ping ok (success 1, 2.1 ms): If the 'Ping' event is enabled in the settings menu, ..."),
        CommandExample(
            "In a check file, then wait for the Ping event:",
            "ping",
            "expect $response.status == 200",
            "wait event Ping --timeout 5s"),
    ]
}
