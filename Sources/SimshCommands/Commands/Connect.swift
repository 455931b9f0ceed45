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

    @Argument(help: ArgumentHelp("A saved profile name or the server URL", valueName: "profile-or-url"))
    var target: String

    @Option(help: "User name for HTTP Basic authentication")
    var user: String?

    @Option(
        help: ArgumentHelp(
            "Password for HTTP Basic authentication (the value shows in the process list; prefer "
                + "--password-env/--password-stdin)"))
    var password: String?

    @Option(
        name: .customLong("password-env"),
        help: ArgumentHelp("Read the password from this environment variable (saved by name)", valueName: "var"))
    var passwordEnv: String?

    @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (no echo on a terminal)")
    var passwordStdin = false

    @Option(
        name: .customLong("api-key"),
        help: ArgumentHelp(
            "API key, sent as X-APIKEY (the value shows in the process list; prefer "
                + "--api-key-env/--api-key-stdin)"))
    var apiKey: String?

    @Option(
        name: .customLong("api-key-env"),
        help: ArgumentHelp("Read the API key from this environment variable (saved by name)", valueName: "var"))
    var apiKeyEnv: String?

    @Flag(
        name: .customLong("api-key-stdin"),
        help: "Read the API key from standard input (no echo on a terminal; after the password with both)")
    var apiKeyStdin = false

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

    @Option(help: ArgumentHelp("Also save this connection as a profile", valueName: "profile"))
    var save: String?

    @Flag(help: "With --save, replace a profile of that name without asking")
    var force = false

    func validate() throws {
        if [password != nil, passwordEnv != nil, passwordStdin].filter({ $0 }).count > 1 {
            throw ValidationError("use one of --password, --password-env and --password-stdin")
        }
        if [apiKey != nil, apiKeyEnv != nil, apiKeyStdin].filter({ $0 }).count > 1 {
            throw ValidationError("use one of --api-key, --api-key-env and --api-key-stdin")
        }
        if let t = timeout, t.seconds <= 0 { throw ValidationError("--timeout must be more than 0") }
        if let save, !Profile.isValidName(save) {
            throw ValidationError("invalid profile name '\(save)' (use letters, digits, '-', '_', '.')")
        }
    }

    func run(in session: Session) async throws {
        var profile = try baseProfile(in: session)
        if let user { profile.user = user }
        if let secret = try Self.given(
            password, env: passwordEnv, stdin: passwordStdin, option: "--password", what: "password", in: session)
        {
            profile.password = secret
            profile.passwordEnv = nil
        }
        if let secret = try Self.given(
            apiKey, env: apiKeyEnv, stdin: apiKeyStdin, option: "--api-key", what: "API key", in: session)
        {
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
            if let passwordEnv {
                saved.password = nil
                saved.passwordEnv = passwordEnv
            }
            if let apiKeyEnv {
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

    /// A secret given as `OPTION value`, `OPTION-env VAR` or `OPTION-stdin` (asked for, no echo),
    /// or nil when none of them was.
    static func given(
        _ literal: String?, env: String?, stdin: Bool, option: String, what: String, in session: Session
    ) throws -> String? {
        if let literal { return literal }
        if let env { return try environmentValue(env, option: option + "-env", in: session) }
        guard stdin else { return nil }
        guard let secret = session.readSecret?(what.prefix(1).uppercased() + what.dropFirst() + ": ") else {
            throw SimshError.usage("\(option)-stdin: no \(what) could be read from standard input")
        }
        return secret
    }

    /// The value of an environment variable a `--…-env` option names; a usage error when unset.
    static func environmentValue(_ variable: String, option: String, in session: Session) throws -> String {
        guard let value = session.environment[variable], !value.isEmpty else {
            throw SimshError.usage("\(option): environment variable \(variable) is not set")
        }
        return value
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
