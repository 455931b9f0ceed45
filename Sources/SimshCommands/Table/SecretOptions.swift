import ArgumentParser
import SimshLanguage
import SimshRuntime

/// `--password`, `--password-env VAR`, `--password-stdin`: the three ways a command is given a
/// password, declared once for every command that takes one (`connect`, `profile save`, `listen
/// events`, `simulate event`). A value on the command line shows in the process list; the others do not.
/// What follows `--password` is masked in history, traces and recordings (`Redactor`).
public struct PasswordOptions: ParsableArguments, Sendable {
    @Option(help: "The password (it shows in the process list: prefer --password-env or --password-stdin)")
    public var password: String?

    @Option(
        name: .customLong("password-env"),
        help: ArgumentHelp("Read the password from this environment variable", valueName: "var"))
    public var passwordEnv: String?

    @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (no echo on a terminal)")
    public var passwordStdin = false

    public init() {}

    /// How many of the three forms were given.
    public var given: Int { [password != nil, passwordEnv != nil, passwordStdin].filter { $0 }.count }

    public func validate() throws {
        if given > 1 { throw ValidationError("use one of --password, --password-env and --password-stdin") }
    }

    /// The password, from where the options say (`what` names it in the prompt); nil when none was given.
    public func value(_ what: String, in session: Session) throws -> String? {
        try SecretSource.read(
            password, env: passwordEnv, stdin: passwordStdin, option: "--password", what: what, in: session)
    }
}

/// `--api-key`, `--api-key-env VAR`, `--api-key-stdin`, as `PasswordOptions` for a password.
public struct APIKeyOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("api-key"),
        help: "API key, sent as X-APIKEY (it shows in the process list: prefer --api-key-env or --api-key-stdin)")
    public var apiKey: String?

    @Option(
        name: .customLong("api-key-env"),
        help: ArgumentHelp("Read the API key from this environment variable", valueName: "var"))
    public var apiKeyEnv: String?

    @Flag(
        name: .customLong("api-key-stdin"),
        help: "Read the API key from standard input (no echo on a terminal; after the password with both)")
    public var apiKeyStdin = false

    public init() {}

    public func validate() throws {
        if [apiKey != nil, apiKeyEnv != nil, apiKeyStdin].filter({ $0 }).count > 1 {
            throw ValidationError("use one of --api-key, --api-key-env and --api-key-stdin")
        }
    }

    /// The API key, from where the options say; nil when none was given.
    public func value(in session: Session) throws -> String? {
        try SecretSource.read(
            apiKey, env: apiKeyEnv, stdin: apiKeyStdin, option: "--api-key", what: "API key", in: session)
    }
}

/// Where a secret option's value comes from: the option itself, an environment variable, or
/// standard input (read without echo; one line each, the password's before the API key's). A
/// value read is known to the session's secrets from then on: masked in everything simsh writes.
enum SecretSource {
    static func read(
        _ literal: String?, env: String?, stdin: Bool, option: String, what: String, in session: Session
    ) throws -> String? {
        let value: String?
        if let literal {
            value = literal
        } else if let env {
            value = try environmentValue(env, option: option + "-env", in: session)
        } else if stdin {
            guard let secret = session.readSecret?(what.prefix(1).uppercased() + what.dropFirst() + ": ") else {
                throw SimshError.usage("\(option)-stdin: no \(what) could be read from standard input")
            }
            guard !secret.isEmpty else { throw SimshError.usage("\(option)-stdin: the \(what) read is empty") }
            value = secret
        } else {
            value = nil
        }
        session.secrets.add(value)
        return value
    }

    /// The value of an environment variable a `--…-env` option names; a usage error naming the
    /// variable when it is unset or empty.
    static func environmentValue(_ variable: String, option: String, in session: Session) throws -> String {
        guard let value = session.environment[variable] else {
            throw SimshError.usage("\(option): environment variable \(variable) is not set")
        }
        guard !value.isEmpty else { throw SimshError.usage("\(option): environment variable \(variable) is empty") }
        return value
    }
}
