import ArgumentParser
import SimotelKit
import SimshRuntime

struct Version: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Show simsh's version")

    func run(in session: Session) async throws {
        session.output.line("simsh \(SimotelKitInfo.version) (Simotel API v4)")
    }
}

extension Version: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "The version:",
            "simsh> version",
            "simsh 0.1.0 (Simotel API v4)")
    ]
}
