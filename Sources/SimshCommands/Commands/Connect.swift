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
            sends nothing: use ping to check the address and credentials. With --save, connect \
            first pings the server (setting/ping/act, as ping does) and saves the profile only when \
            the ping succeeds: a server that cannot be reached exits 3, wrong credentials or another \
            API error exit 4, and nothing is saved nor connected; --no-check saves without sending \
            anything. profile save, which saves the current connection, does not ping. \
            SIMSH_URL, SIMSH_USER, SIMSH_PASSWORD and SIMSH_API_KEY override a saved profile's fields. \
            The timeout bounds each whole exchange, the answer included; answers over --max-size \
            (32 MiB by default) are refused with nothing kept (exit 3). \
            A server whose certificate a private CA issued needs that CA: --cacert FILE (a PEM file, \
            which may hold several certificates; saved as the profile's cacert) trusts it besides \
            the system's authorities; without --cacert or a profile's cacert, SSL_CERT_FILE names \
            the file for https:// servers. A CA file that is missing, unreadable or holds no PEM \
            certificate is an error at once (exit 3). \
            Secrets typed here are masked in the history. Given on simsh's command line (simsh connect \
            … --password X), a secret is visible to other users of the machine in the process list: \
            use --password-env / --api-key-env (with --save, the profile keeps the variable's name, not \
            the secret; an unset or empty variable is an error) or --password-stdin / --api-key-stdin \
            (with both, the first line of standard input is the password and the second the API key).
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

    @Option(
        help: ArgumentHelp(
            "PEM file of the private CA that issued the server's certificate (trusted besides the system's)",
            valueName: "file"),
        completion: .file())
    var cacert: String?

    @Option(help: ArgumentHelp("Also save this connection as a profile (after a ping)", valueName: ValueKind.profile))
    var save: String?

    @Flag(help: "With --save, replace a profile of that name without asking")
    var force = false

    @Flag(name: .customLong("no-check"), help: "With --save, save without pinging the server first")
    var noCheck = false

    func validate() throws {
        if let t = timeout, t.seconds <= 0 { throw ValidationError("--timeout must be more than 0") }
        if let save, !Profile.isValidName(save) {
            throw ValidationError("invalid profile name '\(save)' (use letters, digits, '-', '_', '.')")
        }
        if noCheck && save == nil {
            throw ValidationError("--no-check goes with --save (connect alone sends nothing)")
        }
    }

    func run(in session: Session) async throws {
        var profile = try baseProfile(in: session)
        try apply(to: &profile, in: session)
        // SIMSH_URL and the like override saved profiles, not a URL given here.
        let environment =
            profile.name.isEmpty
            ? session.environment.filter { ["SSL_CERT_FILE", "HOME"].contains($0.key) } : session.environment
        let connection = try profile.connection(environment: environment)
        if let name = save {
            try confirmReplacing(name, current: profile.name, in: session)
            if !noCheck {
                do {
                    try await session.check(connection)
                } catch let e as SimshError {
                    let note = "; profile \(name) not saved (--no-check saves without a ping)"
                    throw SimshError(e.kind, e.message + note)
                }
            }
            try session.profiles.save(profileToSave(profile, as: name))
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

    /// The options' values on the profile: credentials (read from where the options say), the CA
    /// file (checked now, kept as an absolute path), the timeout and the limits.
    func apply(to profile: inout Profile, in session: Session) throws {
        if let user { profile.user = user }
        // The secret is used as read; a variable's name is kept for saving (here or by profile save).
        if let secret = try passwordOptions.value("password", in: session) {
            profile.password = secret
            profile.passwordEnv = passwordOptions.passwordEnv
        }
        if let secret = try apiKeyOptions.value(in: session) {
            profile.apiKey = secret
            profile.apiKeyEnv = apiKeyOptions.apiKeyEnv
        }
        if let auth { profile.auth = auth }
        if let timeout { profile.timeout = timeout.seconds }
        if insecure { profile.insecure = true }
        if let maxSize { profile.maxSize = maxSize.bytes }
        if let cacert {
            let path = Self.absolutePath(cacert)
            let expanded = Profile.expandingTilde(path, environment: session.environment)
            if let problem = CAFile.problem(at: expanded) { throw SimshError.io("--cacert \(expanded): \(problem)") }
            profile.cacert = path
        }
    }

    /// A path as given, made absolute against the working directory (a profile is used from anywhere).
    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("~/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Asks before replacing a saved profile of that name in the shell; scripts must say --force.
    func confirmReplacing(_ name: String, current: String, in session: Session) throws {
        guard !force, name != current, try session.profiles.profile(named: name) != nil else { return }
        guard session.isInteractive, let confirm = session.confirm else {
            throw SimshError.usage("connect: profile \(name) already exists; add --force to replace it")
        }
        guard confirm("profile \(name) already exists; replace it? [y/N] ") else {
            throw SimshError.usage("connect: profile \(name) kept as it was; nothing connected")
        }
    }

    /// The profile as saved: a secret given by an environment variable is saved as the variable's name.
    func profileToSave(_ profile: Profile, as name: String) -> Profile {
        var saved = profile
        saved.name = name
        if saved.passwordEnv != nil { saved.password = nil }
        if saved.apiKeyEnv != nil { saved.apiKey = nil }
        return saved
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
