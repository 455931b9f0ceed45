import ArgumentParser

struct Echo: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "echo", abstract: "Print words")

    @Flag(name: .customShort("n"), help: "Do not end with a newline")
    var noNewline = false

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Words to print", valueName: "word"))
    var words: [String] = []

    func run(in session: Session) async throws {
        let text = words.joined(separator: " ")
        if noNewline { session.output.raw(text) } else { session.output.line(text) }
    }
}
