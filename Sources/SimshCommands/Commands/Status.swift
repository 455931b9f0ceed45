import ArgumentParser
import Foundation
import SimotelKit
import SimshRuntime

struct Status: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the connection, output mode and files in use"
    )

    func run(in session: Session) async throws {
        var rows: [(String, String)] = []
        if let active = session.active {
            let c = active.connection
            rows.append(("connected", c.root))
            rows.append(("profile", active.name ?? "(none)"))
            rows.append(("api", c.apiBase))
            rows.append(("credentials", "\(c.credentials)"))
            rows.append(("timeout", "\(formatSeconds(c.timeout)) s"))
            if c.insecure { rows.append(("tls", "certificate not checked (--insecure)")) }
            if let ca = c.caFile, !c.insecure { rows.append(("tls", "also trusting the CAs of \(ca)")) }
            rows.append(("ping method", active.client.currentPingMethod))
        } else {
            rows.append(("connected", "no"))
        }
        if let sim = session.embeddedSimulator { rows.append(("simulator", "\(sim.url) (embedded, --demo)")) }
        rows.append(("output", session.outputMode.rawValue))
        rows.append(("config", session.paths.config))
        rows.append(("history", session.paths.history))
        session.output.keyValues(rows)
    }

    func formatSeconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }
}

extension Status: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "The session: connection, profile, listener, paths:",
            "simsh demo> status",
            "connected    http://127.0.0.1:40249",
            "profile      demo")
    ]
}
