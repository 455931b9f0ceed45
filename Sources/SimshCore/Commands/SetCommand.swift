import ArgumentParser

struct SetCommand: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a variable, or list variables",
        discussion: "Variables are expanded as $NAME or ${NAME} in later commands. Without arguments, lists them.")

    @Argument(help: ArgumentHelp("Variable name (or NAME=VALUE)", valueName: "name"))
    var name: String?

    @Argument(help: ArgumentHelp("Value", valueName: "value"))
    var value: String?

    func run(in session: Session) async throws {
        guard var name else {
            for key in session.variables.keys.sorted() where key != "?" {
                let v = Redactor.isSecretName(key) ? Redactor.mask : session.variables[key]!
                session.output.line("\(key)=\(v)")
            }
            return
        }
        var value = self.value
        if value == nil, let eq = name.firstIndex(of: "=") {
            value = String(name[name.index(after: eq)...])
            name = String(name[..<eq])
        }
        guard Self.isValidName(name) else { throw SimshError.usage("invalid variable name '\(name)'") }
        guard let value else { throw SimshError.usage("set: missing value for \(name) (set NAME VALUE)") }
        session.variables[name] = value
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}
