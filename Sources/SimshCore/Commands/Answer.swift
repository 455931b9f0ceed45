import ArgumentParser
import SimotelKit
import SimotelWebhooks

struct Answer: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "answer",
        abstract: "Reply to a dialplan component's requests from the shell's listener",
        discussion: """
            Simotel's Exten, Trunk, IVR and Smart API components POST the call's data to their API Address \
            and wait 1 s for a JSON reply (webhooks.md §6). Point one at the session's listener (listen \
            events) and answer it here, by the component's name (app_name): answer smart s1 \
            "PlayAnnouncement('welcome'); Exit('go-s2')", answer exten 'Extension API' extension=200, \
            answer ivr NAME case=3, answer trunk NAME trunk=T extension=N call_limit=300. The reply is \
            {"ok":"1", …}; a Smart API script is checked first (smart check). A request with no rule is \
            answered {"ok":"0"}. Requests are recorded as events named Component (events --name \
            Component) with the reply sent; wait request NAME waits for one. answers lists the rules; \
            answer --remove NAME drops one.
            """)

    @Argument(help: ArgumentHelp("exten, trunk, ivr or smart", valueName: "kind"))
    var kind: ComponentKind?

    @Argument(help: ArgumentHelp("The component's name in the dialplan (its app_name)", valueName: "name"))
    var name: String?

    @Argument(
        help: ArgumentHelp(
            "Reply fields (extension=…, case=…, trunk=…, call_limit=…) or a Smart API script",
            valueName: "reply"))
    var reply: [String] = []

    @Option(help: ArgumentHelp("Drop the rule for this component name", valueName: "name"))
    var remove: String?

    func run(in session: Session) async throws {
        if let remove {
            guard kind == nil else { throw SimshError.usage("answer: --remove NAME takes nothing else") }
            guard session.answerRules.remove(remove) else {
                throw SimshError.usage("answer: no rule for '\(remove)' (answers lists them)")
            }
            session.output.line("no longer answering \(remove)")
            return
        }
        guard let kind, let name else {
            throw SimshError.usage("answer KIND NAME REPLY… (answer smart s1 \"Exit('go')\"; answer --help)")
        }
        var members: [(String, JSONValue)] = [("ok", .string("1"))]
        if kind == .smart {
            guard reply.count == 1 else {
                throw SimshError.usage("answer smart NAME \"SCRIPT\": the script is one argument, in quotes")
            }
            let (script, mistakes) = SmartScript.check(reply[0])
            guard mistakes.isEmpty else {
                for mistake in mistakes { session.output.error(SimshError(.usage, "smart: \(mistake)")) }
                throw SimshError.usage("answer: the Smart API script has mistakes; nothing changed")
            }
            members.append(("commands", .string(script.text)))
        } else {
            for word in reply {
                guard let condition = FieldCondition(argument: word), kind.replyKeys.contains(condition.field) else {
                    throw SimshError.usage(
                        "answer \(kind.rawValue): '\(word)' is not one of \(kind.replyKeys.map { "\($0)=…" }.joined(separator: ", "))"
                    )
                }
                members.append((condition.field, .string(condition.value)))
            }
            let missing = kind.replyKeys.filter { key in !members.contains { $0.0 == key } }
            guard missing.isEmpty else {
                throw SimshError.usage(
                    "answer \(kind.rawValue): give \(missing.map { "\($0)=…" }.joined(separator: ", "))")
            }
        }
        let json = JSONValue.object(members)
        session.answerRules.set(AnswerRules.Rule(kind: kind, name: name, reply: json))
        session.output.line("answering \(kind.title) '\(name)' with \(json.serialized())")
    }
}
