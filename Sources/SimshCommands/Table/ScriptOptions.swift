import ArgumentParser
import Foundation
import SafeFiles
import SimshLanguage
import SimshRuntime

/// What a run of scripts takes on the command line, for the shell (`simsh FILE`, `-c`) and
/// `simsh test` alike: variables, secrets, going on after errors, tracing.
public struct ScriptOptions: ParsableArguments, Sendable {
    public init() {}

    /// The value with no option given (what `simsh -c COMMANDS` parses to), made without a parse.
    public static var defaults: ScriptOptions {
        var o = ScriptOptions()
        o.variables = []
        o.secrets = []
        o.secretEnvironment = []
        o.secretFiles = []
        o.continueOnError = false
        o.verbose = 0
        o.quiet = false
        return o
    }

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp("Set a variable (also SIMSH_VAR_NAME in the environment)", valueName: "name=value"))
    public var variables: [String] = []

    @Option(
        name: .customLong("secret"),
        help: ArgumentHelp(
            "Set a variable whose value is masked as **** in all output, traces, history and reports "
                + "(the value shows in the process list; prefer --secret-env/--secret-file)",
            valueName: "name=value"))
    public var secrets: [String] = []

    @Option(
        name: .customLong("secret-env"),
        help: ArgumentHelp(
            "As --secret, the value from the environment variable NAME (or VAR with NAME=VAR)",
            valueName: "name[=var]"))
    public var secretEnvironment: [String] = []

    @Option(
        name: .customLong("secret-file"),
        help: ArgumentHelp(
            "As --secret, the value read from a file (one trailing newline dropped)", valueName: "name=path"),
        completion: .file())
    public var secretFiles: [String] = []

    @Flag(help: "Report every failing command and go on; exit with the first failure's status")
    public var continueOnError = false

    @Flag(
        name: [.customShort("q"), .customLong("quiet")],
        help: "Print only failures (on standard error) and, for simsh test, the summary; also after the command")
    public var quiet = false

    @Flag(
        name: [.customShort("v"), .customLong("verbose")],
        help: "Trace each request and answer on standard error (-vv: with timings); secrets masked")
    public var verbose: Int

    /// `NAME=VALUE` split, or a usage error naming the option (never the value: it may be a secret).
    static func pair(_ text: String, option: String, form: String = "NAME=VALUE") throws -> (String, String) {
        guard let eq = text.firstIndex(of: "="), VariableName.isValid(String(text[..<eq])),
            !text[..<eq].contains(".")
        else {
            throw SimshError.usage(
                "\(option) wants \(form), NAME of letters, digits and _ (not starting with a digit)")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// `--secret-env NAME` (the variable NAME) or `NAME=VAR`: the name and the variable's value.
    static func environmentSecret(_ text: String, environment: [String: String]) throws -> (String, String) {
        let (name, variable) = try environmentPair(text)
        guard let value = environment[variable], !value.isEmpty else {
            throw SimshError.usage("--secret-env \(name): environment variable \(variable) is not set")
        }
        return (name, value)
    }

    /// `NAME` or `NAME=VAR` split into the name and the environment variable.
    static func environmentPair(_ text: String) throws -> (String, String) {
        try pair(text.contains("=") ? text : text + "=" + text, option: "--secret-env", form: "NAME or NAME=VAR")
    }

    /// `--secret-file NAME=PATH`: the name and the file's text, without one trailing newline.
    static func fileSecret(_ text: String) throws -> (String, String) {
        let (name, path) = try pair(text, option: "--secret-file", form: "NAME=PATH")
        // Read to its end: a pipe is the usual source (`--secret-file TOKEN=<(pass show api)`).
        guard let data = try? SafeFile.read(path) else {
            throw SimshError.io("--secret-file \(name): cannot read \(path)")
        }
        var value = String(decoding: data, as: UTF8.self)
        if value.hasSuffix("\r\n") {
            value.removeLast()
        } else if value.hasSuffix("\n") {
            value.removeLast()
        }
        guard !value.isEmpty else { throw SimshError.usage("--secret-file \(name): \(path) is empty") }
        return (name, value)
    }

    /// Checked as the command line is read: a malformed option is a usage error (exit 2) once.
    public func validate() throws {
        do {
            for text in variables { _ = try Self.pair(text, option: "--var") }
            for text in secrets { _ = try Self.pair(text, option: "--secret") }
            for text in secretEnvironment { _ = try Self.environmentPair(text) }
            for text in secretFiles { _ = try Self.pair(text, option: "--secret-file", form: "NAME=PATH") }
        } catch let e as SimshError {
            throw ValidationError(e.message)
        }
    }

    /// Applies the options (and `SIMSH_VAR_*` from the session's environment) to a session.
    public func apply(to session: Session, interpreter: Interpreter) throws {
        for (key, value) in session.environment where key.hasPrefix("SIMSH_VAR_") && key.count > 10 {
            session.setVariable(String(key.dropFirst(10)), value)
        }
        for text in variables {
            let (name, value) = try Self.pair(text, option: "--var")
            session.setVariable(name, value)
        }
        for text in secrets {
            let (name, value) = try Self.pair(text, option: "--secret")
            session.setVariable(name, value)
            session.secrets.add(value)
        }
        for text in secretEnvironment {
            let (name, value) = try Self.environmentSecret(text, environment: session.environment)
            session.setVariable(name, value)
            session.secrets.add(value)
        }
        for text in secretFiles {
            let (name, value) = try Self.fileSecret(text)
            session.setVariable(name, value)
            session.secrets.add(value)
        }
        interpreter.continueOnError = continueOnError
        session.traceLevel = verbose
        if quiet { session.output.quiet = true }
    }
}
