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
            within DURATION (an event arrives in time). \
            A call's events: originate sets $call to the call's originated_call_id (set call … replaces it). \
            expect call ID reaches EVENT [--where F=V]… within DURATION: an event named EVENT of that call \
            arrives in time (expect call $call reaches Cdr within 10s; expect call $call reaches NewState \
            --where state=InUse within 5s). expect events NAME -> NAME [-> NAME…] for ID within DURATION: \
            events of that call with those names arrive in that order, others may come between (expect \
            events NewState -> Cdr for $call within 10s). An event is the call's when its \
            originated_call_id or its unique_id (cuid) is ID, or its unique_id is that of an event whose \
            originated_call_id is ID (NewState carries only unique_id). Events count as for expect event: \
            those since the start of the previous command; the event found becomes $event. \
            A failed check prints file:line:col: expect failed: \
            the check (actual: the value found), then the line with a caret under the check, and exits 1; \
            a call check's says which events arrived for that call (their numbers and times). When an \
            event does not come, note lines say what the listener rejected meanwhile and why, and where \
            Simotel's documentation says it may never come (no Cdr when an originated call's first party \
            does not answer). \
            A malformed expression or check is a syntax error (exit 2) before anything runs. \
            Example: users search number=100 / expect success / expect $response.data[0].name == "Ali".
            """
    )

    @Argument(
        help: ArgumentHelp(
            "An expression, or success | status N | fail [STATUS] | event NAME [--where F=V]… within DURATION"
                + " | call ID reaches EVENT [--where F=V]… within DURATION"
                + " | events NAME -> NAME [-> NAME…] for ID within DURATION",
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
        CommandExample(
            "Follow an originated call ($call) to its Cdr:",
            "originate caller=101 callee=102 context=main_routing caller_id=101",
            "expect call $call reaches NewState --where state=InUse within 10s",
            "expect events NewState -> Cdr for $call within 30s",
            "expect $event.disposition == \"ANSWERED\""),
    ]
}
