import ArgumentParser
import SimshLanguage
import SimshRuntime

struct Repeat: ScriptStatement {
    static let configuration = CommandConfiguration(
        commandName: Keyword.`repeat`,
        abstract: "Run a block N times: repeat N … end",
        discussion: """
            N is a number or an expression giving one (repeat $count). The first failing command stops it. \
            Example: repeat 10 / ping / expect $response.time_ms < 500 / end.
            """
    )

    @Argument(help: ArgumentHelp("How many times", valueName: "count"))
    var count: [String] = []
}

extension Repeat: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Run a block three times:",
            "repeat 3",
            "  ping",
            "  expect success",
            "end")
    ]
}
