import ArgumentParser
import SimshRuntime

struct ProfileRemove: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete a saved profile")

    @Argument(help: ArgumentHelp("The profile to delete", valueName: ValueKind.profile))
    var name: String

    func run(in session: Session) async throws {
        guard try session.profiles.remove(name) else {
            throw session.unknownProfile(name)
        }
        session.output.line("removed profile \(name)")
    }
}

extension ProfileRemove: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Remove a saved profile:",
            "simsh> profile remove office")
    ]
}
