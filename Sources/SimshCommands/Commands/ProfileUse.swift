import ArgumentParser
import SimshRuntime

struct ProfileUse: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "use", abstract: "Make a profile the default at start-up and connect to it"
    )

    @Argument(help: ArgumentHelp("The profile", valueName: ValueKind.profile))
    var name: String

    func run(in session: Session) async throws {
        guard try session.profiles.profile(named: name) != nil else {
            throw session.unknownProfile(name)
        }
        try session.profiles.setDefault(name)
        try await session.connect(profileNamed: name)
        session.output.line("using profile \(name) (\(session.active?.connection.root ?? "")); it is now the default")
    }
}

extension ProfileUse: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Connect to a profile and make it the default:",
            "simsh> profile use office",
            "simsh office>")
    ]
}
