import ArgumentParser
import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime

struct Connect: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Connect to a Simotel server or a saved profile",
        discussion: """
            TARGET is a saved profile name or the server's URL (http://host or https://host). \
            The client adds /api/v4/; a URL that already ends in /api/v4 works too. Connecting \
            sends nothing: use ping to check the address and credentials. SIMSH_URL, SIMSH_USER, \
            SIMSH_PASSWORD and SIMSH_API_KEY override a saved profile's fields. \
            The timeout bounds each whole exchange, the answer included; answers over --max-size \
            (32 MiB by default) are refused with nothing kept (exit 3). \
            Secrets typed here are masked in the history. Given on simsh's command line (simsh connect \
            … --password X), a secret is visible to other users of the machine in the process list: \
            use --password-env / --api-key-env (with --save, the profile keeps the variable's name, not \
            the secret) or --password-stdin / --api-key-stdin.
            """
    )

    @Argument(help: ArgumentHelp("A saved profile name or the server URL", valueName: ValueKind.profileOrURL))
    var target: String

    @Option(help: "User name for HTTP Basic authentication")
    var user: String?

    @OptionGroup var passwordOptions: PasswordOptions

    @OptionGroup var apiKeyOptions: APIKeyOptions

    @Option(
        help: ArgumentHelp(
            "Which headers to send: basic, key or both (default: what the credentials allow)", valueName: "mode"))
    var auth: AuthMode?

    @Option(help: ArgumentHelp("Seconds to wait for an answer (default 10)", valueName: "seconds"))
    var timeout: DurationArgument?

    @Flag(help: "Accept any TLS certificate (a warning is printed: the connection can be read and changed)")
    var insecure = false

    @Option(
        name: .customLong("max-size"),
        help: ArgumentHelp(
            "Largest API answer to keep, e.g. 32MiB (default); --out downloads are not held", valueName: "size"))
    var maxSize: ByteSizeArgument?

    @Option(help: ArgumentHelp("Also save this connection as a profile", valueName: ValueKind.profile))
    var save: String?

    @Flag(help: "With --save, replace a profile of that name without asking")
    var force = false

    func validate() throws {
        if let t = timeout, t.seconds <= 0 { throw ValidationError("--timeout must be more than 0") }
        if let save, !Profile.isValidName(save) {
            throw ValidationError("invalid profile name '\(save)' (use letters, digits, '-', '_', '.')")
        }
    }

    func run(in session: Session) async throws {
        var profile = try baseProfile(in: session)
        if let user { profile.user = user }
        if let secret = try passwordOptions.value("password", in: session) {
            profile.password = secret
            profile.passwordEnv = nil
        }
        if let secret = try apiKeyOptions.value(in: session) {
            profile.apiKey = secret
            profile.apiKeyEnv = nil
        }
        if let auth { profile.auth = auth }
        if let timeout { profile.timeout = timeout.seconds }
        if insecure { profile.insecure = true }
        if let maxSize { profile.maxSize = maxSize.bytes }

        let connection = try profile.connection(environment: profile.name.isEmpty ? [:] : session.environment)
        if let name = save {
            if !force, name != profile.name, try session.profiles.profile(named: name) != nil {
                // Replacing a saved profile asks in the shell; scripts must say --force.
                guard session.isInteractive, let confirm = session.confirm else {
                    throw SimshError.usage("connect: profile \(name) already exists; add --force to replace it")
                }
                guard confirm("profile \(name) already exists; replace it? [y/N] ") else {
                    throw SimshError.usage("connect: profile \(name) kept as it was; nothing connected")
                }
            }
            var saved = profile
            saved.name = name
            // Given by an environment variable, a secret is saved as the variable's name.
            if let passwordEnv = passwordOptions.passwordEnv {
                saved.password = nil
                saved.passwordEnv = passwordEnv
            }
            if let apiKeyEnv = apiKeyOptions.apiKeyEnv {
                saved.apiKey = nil
                saved.apiKeyEnv = apiKeyEnv
            }
            try session.profiles.save(saved)
            profile.name = name
            session.output.line("saved profile \(name) in \(session.profiles.path)")
        }
        await session.connect(connection, profile: profile)
        // Scripts stay quiet (like psql -c); the shell says what it did.
        if session.isInteractive {
            let label = profile.name.isEmpty ? "" : "profile \(profile.name), "
            session.output.line("connected to \(connection.root) (\(label)\(connection.credentials))")
        }
    }

    /// The profile named by the target, or a new unnamed one for a URL.
    func baseProfile(in session: Session) throws -> Profile {
        if let saved = try session.profile(named: target) { return saved }
        let looksLikeAddress =
            target.contains("://") || target.contains(":") || target.contains(".")
            || target == "localhost"
        guard looksLikeAddress else {
            throw session.unknownProfile(target, suggestion: "; give a URL such as http://host")
        }
        guard let address = SimotelConnection.parseAddress(target) else {
            throw SimshError.usage("invalid URL '\(Redactor.fallback(target))' (expected http://host or https://host)")
        }
        return Profile(name: "", url: address.root, user: address.user, password: address.password)
    }
}

extension Connect: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Connect with Basic credentials and save the connection:",
            "simsh> connect https://pbx.example.com --user admin --password-stdin --save office",
            "simsh office> ping"),
        CommandExample(
            "Connect to a saved profile:",
            "simsh> connect office"),
    ]
}
