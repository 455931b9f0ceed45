import ArgumentParser
import Foundation
import SimotelKit
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

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
            {"ok":"1", …}; a Smart API script is checked first (smart check). With --script FILE a \
            .simsh script computes each reply: it runs in a session of its own with the request's \
            fields as $request (src, dst, data, unique_id, app_name, …) and replies with reply \
            (reply commands="Exit('2')", reply case=2); its output is shown above the prompt. A \
            script that fails, gives no reply or runs past 800 ms is answered {"ok":"0"} and \
            reported (--within sets another limit). A request with no rule is \
            answered {"ok":"0"}. Requests are recorded as events named Component (events --name \
            Component) with the reply sent; wait request NAME waits for one. answers lists the rules; \
            answer --remove NAME drops one.
            """
    )

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

    @Option(
        help: ArgumentHelp("A .simsh script that computes each reply (reply …)", valueName: "file"),
        completion: .file(extensions: ["simsh"]))
    var script: String?

    @Option(
        help: ArgumentHelp(
            "How long the script may take before the request is answered {\"ok\":\"0\"} (default 800ms)",
            valueName: "duration"))
    var within: DurationArgument?

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
        if within != nil && script == nil {
            throw SimshError.usage("answer: --within is for a rule with --script")
        }
        if let script {
            guard reply.isEmpty else {
                throw SimshError.usage("answer \(kind.rawValue) \(name) --script FILE: the script gives the reply")
            }
            let path = session.pathBesideScript(script)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw SimshError.usage("answer: cannot read the script \(script)")
            }
            session.answerRules.set(
                AnswerRules.Rule(
                    kind: kind, name: name, reply: ComponentKind.declined, script: path,
                    within: within.map { .milliseconds(Int64($0.seconds * 1000)) }))
            session.output.line("answering \(kind.title) '\(name)' with the script \(path)")
            return
        }
        let fields: [(String, String)]
        if kind == .smart {
            guard reply.count == 1 else {
                throw SimshError.usage("answer smart NAME \"SCRIPT\": the script is one argument, in quotes")
            }
            let (_, mistakes) = SmartScript.check(reply[0])
            guard mistakes.isEmpty else {
                for mistake in mistakes { session.output.error(SimshError(.usage, "smart: \(mistake)")) }
                throw SimshError.usage("answer: the Smart API script has mistakes; nothing changed")
            }
            fields = [("commands", reply[0])]
        } else {
            fields = try reply.map { word in
                guard let condition = FieldCondition(word) else {
                    throw SimshError.usage(
                        "answer \(kind.rawValue): '\(word)' is not one of \(kind.replyKeys.map { "\($0)=…" }.joined(separator: ", "))"
                    )
                }
                return (condition.field, condition.value)
            }
        }
        let json = try AnswerRules.reply(kind: kind, fields: fields, command: "answer \(kind.rawValue)")
        session.answerRules.set(AnswerRules.Rule(kind: kind, name: name, reply: json, script: nil))
        session.output.line("answering \(kind.title) '\(name)' with \(json.serialized())")
    }
}

extension Answer: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Answer a Smart API component named s1 with a fixed script:",
            "simsh> answer smart s1 \"PlayAnnouncement('welcome'); Exit('go-s2')\"",
            "answering Smart API 's1' with {\"ok\":\"1\",\"commands\":\"PlayAnnouncement('welcome'); Exit('go-s2')\"}"),
        CommandExample(
            "Compute each reply from the request with a script (see reply):",
            "simsh> answer smart s2 --script route.simsh",
            "simsh> answer --remove s2",
            "no longer answering s2"),
    ]
}

/// The rule scripts an `answer … --script FILE` line names (`--script=FILE` too): what `simsh
/// test` leaves out of its cases.
public enum RuleScriptWords {
    /// The files named, as written; none unless the words are an `answer` command's.
    public static func scripts(in words: [String?]) -> [String] {
        guard words.first == Answer.configuration.commandName else { return [] }
        var found: [String] = []
        for (i, word) in words.enumerated() {
            if word == "--script", i + 1 < words.count, let target = words[i + 1] {
                found.append(target)
            } else if let word, word.hasPrefix("--script=") {
                found.append(String(word.dropFirst("--script=".count)))
            }
        }
        return found.filter { !$0.isEmpty }
    }
}
