import ArgumentParser

/// What a run of scripts takes on the command line, for the shell (`simsh FILE`, `-c`) and
/// `simsh test` alike: variables, secrets, going on after errors, tracing.
public struct ScriptOptions: ParsableArguments, Sendable {
    public init() {}

    /// The value with no option given (what `simsh -c COMMANDS` parses to; see
    /// `ShellMode.quickParse`).
    public static var defaults: ScriptOptions {
        var o = ScriptOptions()
        o.variables = []
        o.secrets = []
        o.continueOnError = false
        o.verbose = 0
        return o
    }

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp("Set a variable (also SIMSH_VAR_NAME in the environment)", valueName: "name=value"))
    public var variables: [String] = []

    @Option(
        name: .customLong("secret"),
        help: ArgumentHelp(
            "Set a variable whose value is masked as **** in all output, traces, history and reports",
            valueName: "name=value"))
    public var secrets: [String] = []

    @Flag(help: "Report every failing command and go on; exit with the first failure's status")
    public var continueOnError = false

    @Flag(
        name: [.customShort("v"), .customLong("verbose")],
        help: "Trace each request and answer on standard error (-vv: with timings); secrets masked")
    public var verbose: Int

    /// `NAME=VALUE` split, or a usage error naming the option (never the value: it may be a secret).
    static func pair(_ text: String, option: String) throws -> (String, String) {
        guard let eq = text.firstIndex(of: "="), SetCommand.isValidName(String(text[..<eq])),
            !text[..<eq].contains(".")
        else {
            throw SimshError.usage(
                "\(option) wants NAME=VALUE, NAME of letters, digits and _ (not starting with a digit)")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// Checked as the command line is read: a malformed option is a usage error (exit 2) once.
    public func validate() throws {
        do {
            for text in variables { _ = try Self.pair(text, option: "--var") }
            for text in secrets { _ = try Self.pair(text, option: "--secret") }
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
        interpreter.continueOnError = continueOnError
        session.traceLevel = verbose
    }
}
