import ArgumentParser
import Foundation

struct ListenStatus: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the listener's address, uptime, event counts and rejected requests")

    func run(in session: Session) async throws {
        guard let l = session.listener else {
            session.output.line("not listening (listen events starts the listener)")
            return
        }
        var rows: [(String, String)] = [
            ("listening", l.url),
            ("uptime", String(format: "%.0f s", l.uptime)),
            ("rejected", String(l.rejected)),
        ]
        if let f = l.configuration.logFile { rows.append(("log", f)) }
        if let f = l.configuration.forwardTo { rows.append(("forward", f)) }
        let counts = l.store.countsByName.sorted { $0.key < $1.key }
        rows.append(
            ("events", counts.isEmpty ? "none yet" : counts.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        session.output.keyValues(rows)
    }
}
