import ArgumentParser
import SimshRuntime

struct Echo: ShellCommand, ManyWords {
    static let configuration = CommandConfiguration(commandName: "echo", abstract: "Print words")

    @Flag(name: .customShort("n"), help: "Do not end with a newline")
    var noNewline = false

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Words to print", valueName: "word"))
    var words: [String] = []

    static let positionalsBeforeWords = 0
    var manyWords: [String] {
        get { words }
        set { words = newValue }
    }

    static var sendsWords: Bool { false }

    func run(in session: Session) async throws {
        let text = words.joined(separator: " ")
        if noNewline { session.output.raw(text) } else { session.output.line(text) }
    }
}

extension Echo: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Print words, variables expanded:",
            "simsh> set n = 2",
            "simsh> echo n is $n",
            "n is 2")
    ]
}
