import ArgumentParser
import Foundation
import SimotelKit
import SimotelWebhooks
import SimshRuntime

struct ListenStatus: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the listener's address, uptime, event counts and rejected requests"
    )

    func run(in session: Session) async throws {
        guard let l = session.listener else {
            session.output.line("not listening (listen events starts the listener)")
            return
        }
        var rows: [(String, String)] = [
            ("listening", l.url),
            ("uptime", String(format: "%.0f s", l.uptime)),
            ("rejected", l.notFound > 0 ? "\(l.rejected) (\(l.notFound) to unknown paths)" : String(l.rejected)),
        ]
        let usage = l.store.usage
        rows.append(("kept", "\(usage.events) events, \(ByteSize.text(usage.bytes))"))
        rows.append(("dropped", String(l.store.dropped)))
        let lenient = l.acceptedLeniently
        if !lenient.isEmpty {
            let kinds = lenient.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
            let total = lenient.values.reduce(0, +)
            rows.append(("accepted leniently", "\(total) (\(kinds.joined(separator: ", ")))"))
        }
        if l.configuration.strict { rows.append(("strict", "bodies that are not RFC 8259 JSON get 400")) }
        if let f = l.configuration.logFile {
            let failures = l.logFailureCount
            rows.append(("log", failures > 0 ? "\(f) (\(failures) events not logged, answered 503)" : f))
        }
        if let f = l.configuration.forwardTo { rows.append(("forward", f)) }
        let counts = l.store.countsByName.sorted { $0.key < $1.key }
        rows.append(
            ("events", counts.isEmpty ? "none yet" : counts.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        session.output.keyValues(rows)
    }
}

extension ListenStatus: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "How the listener is doing:",
            "simsh demo> listen status")
    ]
}
