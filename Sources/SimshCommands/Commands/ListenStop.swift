import ArgumentParser
import SimshRuntime

struct ListenStop: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop the listener (requests already received are answered first)"
    )

    func run(in session: Session) async throws {
        guard let l = session.listener else {
            session.output.line("not listening")
            return
        }
        let url = l.url
        await session.stopListener()
        session.output.line("stopped listening on \(url)")
    }
}

extension ListenStop: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Stop receiving:",
            "simsh demo> listen stop")
    ]
}
