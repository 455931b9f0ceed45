import ArgumentParser
import SimshLanguage
import SimshRuntime

struct ProfileSave: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Save the current connection as a profile",
        discussion:
            "Secrets are written to the config file (mode 0600) unless the profile named environment variables for them."
    )

    @Argument(help: ArgumentHelp("Name to save under", valueName: ValueKind.profile))
    var name: String

    func run(in session: Session) async throws {
        guard let active = session.active else {
            throw SimshError.usage("not connected; connect first, then save")
        }
        var profile = active.profile
        let c = active.connection
        profile.name = name
        profile.url = c.root
        profile.user = c.credentials.user
        if profile.passwordEnv == nil { profile.password = c.credentials.password }
        if profile.apiKeyEnv == nil { profile.apiKey = c.credentials.apiKey }
        profile.auth = c.credentials.mode
        if c.timeout != 10 { profile.timeout = c.timeout }
        profile.insecure = c.insecure
        try session.profiles.save(profile)
        session.output.line("saved profile \(name) in \(session.profiles.path)")
    }
}

extension ProfileSave: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Save the current connection:",
            "simsh> connect https://pbx.example.com --user admin --password-stdin",
            "simsh> profile save office")
    ]
}
