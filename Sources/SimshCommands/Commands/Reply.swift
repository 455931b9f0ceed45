import ArgumentParser
import SimshLanguage
import SimshRuntime

struct Reply: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Give the reply of an answer rule's script",
        discussion: """
            Only in a script set with answer KIND NAME --script FILE, which runs for each request of \
            that component with the request's fields as $request. The fields are those of the \
            component's reply (webhooks.md §6): commands=… for Smart API (checked as smart check \
            does), case=… for IVR API, extension=… for Extension API, trunk=… extension=… \
            call_limit=… for Trunk API; "ok":"1" is added. Example (route.simsh): \
            if $request.data == "2"; reply commands="Exit('B')"; else; reply commands="Exit('A')"; end
            """
    )

    @Argument(help: ArgumentHelp("The reply's fields", valueName: "field=value"))
    var fields: [FieldCondition] = []

    func run(in session: Session) async throws {
        guard let answer = session.ruleAnswer else {
            throw SimshError.usage("reply: only in an answer rule's script (answer KIND NAME --script FILE)")
        }
        answer.reply = try AnswerRules.reply(
            kind: answer.kind, fields: fields.map { ($0.field, $0.value) }, command: "reply")
    }
}

extension Reply: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "route.simsh, for answer smart s2 --script route.simsh:",
            "if $request.data == \"2\"",
            "  reply commands=\"Exit('go-b')\"",
            "else",
            "  reply commands=\"Exit('go-a')\"",
            "end")
    ]
}
