import ArgumentParser
import SimshRuntime

struct Unset: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "unset", abstract: "Remove variables")

    @Argument(help: ArgumentHelp("Variable names", valueName: "name"))
    var names: [String]

    func run(in session: Session) async throws {
        for name in names {
            session.setVariable(name, nil)
        }
    }
}

extension Unset: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Remove a variable:",
            "unset NUMBER")
    ]
}
