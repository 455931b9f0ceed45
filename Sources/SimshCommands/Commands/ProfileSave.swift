import ArgumentParser
import SimshLanguage
import SimshRuntime

struct ProfileSave: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Save the current connection as a profile",
        discussion: """
            Saves the connection in use as it is, without sending anything (connect … --save pings \
            first). Secrets are written to the config file (mode 0600) unless the profile names \
            environment variables for them: --password-env VAR and --api-key-env VAR save the \
            variable's name instead of the secret (the variable must be set). --password-stdin and \
            --api-key-stdin read the secrets to save from standard input instead of taking the \
            connection's (with both, the first line is the password and the second the API key).
            """
    )

    @Argument(help: ArgumentHelp("Name to save under", valueName: ValueKind.profile))
    var name: String

    @OptionGroup var passwordOptions: PasswordOptions

    @OptionGroup var apiKeyOptions: APIKeyOptions

    func run(in session: Session) async throws {
        guard let active = session.active else {
            throw SimshError.usage("not connected; connect first, then save")
        }
        var profile = active.profile
        let c = active.connection
        profile.name = name
        profile.url = c.root
        profile.user = c.credentials.user
        // A secret the connection took from an environment variable is saved as the variable's name.
        profile.password = profile.passwordEnv == nil ? c.credentials.password : nil
        profile.apiKey = profile.apiKeyEnv == nil ? c.credentials.apiKey : nil
        profile.auth = c.credentials.mode
        // Given here, a secret (or the variable that holds it) replaces the connection's; the auth
        // mode, unless the profile chose one, is then what the saved credentials allow.
        var replaced = false
        if let secret = try passwordOptions.value("password", in: session) {
            profile.password = passwordOptions.passwordEnv == nil ? secret : nil
            profile.passwordEnv = passwordOptions.passwordEnv
            replaced = true
        }
        if let secret = try apiKeyOptions.value(in: session) {
            profile.apiKey = apiKeyOptions.apiKeyEnv == nil ? secret : nil
            profile.apiKeyEnv = apiKeyOptions.apiKeyEnv
            replaced = true
        }
        if replaced && active.profile.auth == nil { profile.auth = nil }
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
            "simsh> profile save office"),
        CommandExample(
            "Save it with the password read from $PBX_PASSWORD at each use, not written to the file:",
            "simsh> profile save office --password-env PBX_PASSWORD"),
    ]
}
