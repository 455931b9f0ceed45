import ArgumentParser
import SimshLanguage
import SimshRuntime

struct If: ScriptStatement {
    static let configuration = CommandConfiguration(
        commandName: Keyword.`if`,
        abstract: "Run commands when a condition holds: if EXPR … elif EXPR … else … end",
        discussion: """
            The condition is an expression as expect takes it and must be true or false \
            (if $response.data.0.active == "yes"). elif and else are optional; end closes the block. \
            Blocks nest, and work the same in files, -c and the shell (which shows a continuation \
            prompt until end). A block not closed is a syntax error before anything runs. \
            Example: users search number=100 / if length $response.data == 0 / users add number=100 \
            name=Ali secret=$PW context=main_routing / else / echo 100 is there / end.
            """
    )

    @Argument(help: ArgumentHelp("A true-or-false expression", valueName: "condition"))
    var condition: [String] = []
}

extension If: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Branch on a value:",
            "ping",
            "if $response.status == 200",
            "  echo up",
            "else",
            "  echo down",
            "end")
    ]
}
