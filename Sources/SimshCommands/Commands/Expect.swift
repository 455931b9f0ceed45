import ArgumentParser
import SimshLanguage

struct Expect: ScriptStatement {
    static let configuration = CommandConfiguration(
        commandName: Keyword.expect,
        abstract: "Check the last answer, a value or an event; a failed check ends the script with exit 1",
        discussion: """
            expect EXPR checks an expression: $response.status == 200, $response.data.0.number == "100", \
            length $response.data > 0, $response.message contains "done", $event.disposition matches "ANSW.*", \
            exists $response.data._id, not (…), … and …, … or …. Values are typed JSON: $response (success, \
            message, data, status, time_ms), $event (its fields and seq) and variables set with set NAME = EXPR; \
            text that holds a number equals that number ("31" == 31). Shorthands: expect success (Simotel's \
            success is 1), expect status N (the HTTP status), expect fail [STATUS] (the next command must fail, \
            with that exit status 1–4 or HTTP status; the script goes on), expect event NAME [--where F=V]… \
            within DURATION (an event arrives in time). A failed check prints file:line:col: expect failed: \
            the check (actual: the value found), then the line with a caret under the check, and exits 1. \
            A malformed expression is a syntax error (exit 2) before anything runs. \
            Example: users search number=100 / expect success / expect $response.data[0].name == "Ali".
            """
    )

    @Argument(
        help: ArgumentHelp(
            "An expression, or success | status N | fail [STATUS] | event NAME [--where F=V]… within DURATION",
            valueName: "check"))
    var check: [String] = []
}

extension Expect: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Check an answer:",
            "users search alike=true number=101",
            "expect success",
            "expect $response.data[0].name == \"Sara\""),
        CommandExample(
            "Expect a failure of the next command:",
            "expect fail 4",
            "users remove id=nosuchid --yes"),
    ]
}
