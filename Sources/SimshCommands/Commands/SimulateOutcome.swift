import ArgumentParser
import SimotelSimulator
import SimshLanguage
import SimshRuntime

struct SimulateOutcome: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome",
        abstract: "Set how the demo simulator's calls to or from a number end",
        discussion: """
            For the simulator this session runs (simsh --demo): calls that originate plays to or from \
            NUMBER end as OUTCOME from now on. answered (the default): NewState Ringing then InUse, a \
            Cdr ANSWERED with a recording. no-answer: NewState Ringing then Idle, never InUse; Cdr NO \
            ANSWER, billsec 0. busy: no NewState (the line is in another call); Cdr BUSY, billsec 0. \
            failed: no NewState; Cdr FAILED, billsec 0. The caller is rung first: when it does not \
            answer the call ends there, with no IncomingCall or OutgoingCall and no Cdr, as \
            api-v4.md documents. The demo's extension 199 never answers. With NUMBER alone, says how \
            its calls end; with nothing, lists the numbers whose calls do not end answered. A \
            simulator of its own takes simsh simulator --outcome NUMBER=OUTCOME.
            """
    )

    @Argument(help: ArgumentHelp("An extension or external number", valueName: "number"))
    var number: String?

    @Argument(
        help: ArgumentHelp("answered, no-answer, busy or failed", valueName: "outcome"),
        completion: .list(CallOutcome.allCases.map(\.rawValue)))
    var outcome: CallOutcome?

    func run(in session: Session) async throws {
        guard let simulator = session.embeddedSimulator else {
            throw SimshError.usage(
                "simulate outcome: no simulator runs in this session (start simsh --demo; a simulator of its own "
                    + "takes simsh simulator --outcome NUMBER=OUTCOME)")
        }
        guard let number = number?.trimmingCharacters(in: .whitespaces) else {
            let set = simulator.outcomes.sorted { $0.key < $1.key }
            for (n, o) in set { session.output.line("\(n)  \(o.rawValue) (\(o.disposition))") }
            session.output.line(set.isEmpty ? "every call ends answered" : "any other number: answered")
            return
        }
        guard !number.isEmpty else { throw SimshError.usage("simulate outcome: give a number") }
        if let outcome { simulator.setOutcome(outcome, for: number) }
        let now = simulator.outcome(for: number)
        session.output.line("calls to or from \(number) end \(now.rawValue) (\(now.disposition))")
    }
}

extension CallOutcome: ExpressibleByArgument {}

extension SimulateOutcome: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "The numbers whose calls do not end answered (the demo's extension 199):",
            "simsh demo> simulate outcome",
            "199  no-answer (NO ANSWER)",
            "any other number: answered"),
        CommandExample(
            "Make a number busy, then call it: the Cdr says BUSY:",
            "simsh demo> simulate outcome 09121234567 busy",
            "calls to or from 09121234567 end busy (BUSY)",
            "simsh demo> originate caller=101 callee=09121234567 context=main_routing caller_id=101"),
    ]
}
