import ArgumentParser
import SimshRuntime

struct Answers: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "answers", abstract: "List the replies set with answer"
    )

    func run(in session: Session) async throws {
        let rules = session.answerRules.all
        guard !rules.isEmpty else {
            session.output.line("no answer rules (requests are answered {\"ok\":\"0\"})")
            return
        }
        session.output.keyValues(
            rules.map { ("\($0.kind.rawValue) \($0.name)", $0.script.map { "script \($0)" } ?? $0.reply.serialized()) })
    }
}

extension Answers: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "List the rules:",
            "simsh> answers",
            "ivr menu   {\"ok\":\"1\",\"case\":\"3\"}",
            "smart s2   script /home/me/route.simsh")
    ]
}
