import ArgumentParser
import SimshRuntime

struct Disconnect: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "disconnect", abstract: "Close the current connection")

    func run(in session: Session) async throws {
        guard let active = session.active else {
            if session.isInteractive { session.output.line("not connected") }
            return
        }
        await session.disconnect()
        if session.isInteractive { session.output.line("disconnected from \(active.connection.root)") }
    }
}

extension Disconnect: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Forget the current connection:",
            "simsh office> disconnect",
            "simsh>")
    ]
}
