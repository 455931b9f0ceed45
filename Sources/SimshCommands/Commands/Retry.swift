import ArgumentParser
import SimshLanguage
import SimshRuntime

struct Retry: ScriptStatement {
    static let configuration = CommandConfiguration(
        commandName: Keyword.retry,
        abstract: "Run a block until its checks hold, at most N times: retry N every DURATION … end",
        discussion: """
            For polling: a failed expect (or wait event) inside the block waits DURATION and runs the \
            whole block again, up to N runs in all; the last failure ends the script when none passed. \
            Other errors (usage, transport, API) stop it at once. \
            Example: retry 10 every 2s / reports quick / expect $response.data.pagination.total > 0 / end.
            """
    )

    @Argument(help: ArgumentHelp("N every DURATION", valueName: "count"))
    var count: [String] = []
}

extension Retry: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Run a block until its checks hold:",
            "retry 10 every 1s",
            "  users search alike=true number=101",
            "  expect $response.data[0].active == \"yes\"",
            "end")
    ]
}
