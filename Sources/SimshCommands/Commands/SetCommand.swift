import ArgumentParser
import SimshLanguage
import SimshRuntime

struct SetCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: Keyword.set,
        abstract: "Set a variable, or list variables",
        discussion: "Variables are expanded as $NAME or ${NAME} in later commands. Without arguments, lists them."
    )

    @Argument(help: ArgumentHelp("Variable name (or NAME=VALUE)", valueName: "name"))
    var name: String?

    @Argument(help: ArgumentHelp("Value", valueName: "value"))
    var value: String?

    func run(in session: Session) async throws {
        guard var name else {
            for (key, variable) in session.variables.sorted(by: { $0.key < $1.key }) where key != "?" {
                session.output.line("\(key)=\(Redactor.isSecretName(key) ? Redactor.mask : variable.listed)")
            }
            return
        }
        var value = self.value
        if value == nil, let eq = name.firstIndex(of: "=") {
            value = String(name[name.index(after: eq)...])
            name = String(name[..<eq])
        }
        guard VariableName.isValid(name) else { throw SimshError.usage("invalid variable name '\(name)'") }
        guard let value else { throw SimshError.usage("set: missing value for \(name) (set NAME VALUE)") }
        try VariableName.refuseReserved(name)
        session.setVariable(name, value)
    }
}

extension SetCommand: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Text and typed variables:",
            "set NUMBER 101",
            "set count = $response.data.length",
            "echo $NUMBER has $count")
    ]
}
