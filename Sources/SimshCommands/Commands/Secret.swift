import ArgumentParser
import SimshLanguage
import SimshRuntime

struct Secret: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Set a variable to a secret, masked as **** wherever simsh writes",
        discussion: """
            The value comes from a variable of that name already given (--secret-env NAME, \
            --secret-file NAME=PATH, --secret NAME=…, --var, SIMSH_VAR_NAME), else the environment \
            variable of the same name, else the shell asks for it without echo. From then on the value is masked in output, errors, traces, history and \
            reports, e.g. secret PBX_PASSWORD, then connect URL --user admin --password $PBX_PASSWORD.
            """
    )

    @Argument(help: ArgumentHelp("Variable name (and environment variable to read)", valueName: "name"))
    var name: String

    func run(in session: Session) async throws {
        guard VariableName.isPlain(name) else {
            throw SimshError.usage("invalid variable name '\(name)'")
        }
        var value = session.textVariables[name] ?? session.environment[name]
        if value == nil, session.isInteractive, let read = session.readSecret { value = read("\(name): ") }
        guard let value, !value.isEmpty else {
            throw SimshError.usage(
                "secret \(name): set the environment variable \(name) (or run it in the shell to type it)")
        }
        session.secrets.add(value)
        session.setVariable(name, value)
    }
}

extension Secret: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Ask for a password without echo, masked wherever simsh writes it:",
            "secret PW",
            "connect https://pbx.example.com --user admin --password $PW")
    ]
}
