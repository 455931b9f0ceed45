import SimotelKit

/// Where a reply leads: an end, another component, or output `e`.
extension DialplanWalk {
    /// Leaves through output `e` after `why` (no reply, a bad reply): nil when it leads on.
    func leaveFailing(
        _ component: Dialplan.Component, _ why: String, _ state: inout WalkState, say: @Sendable (String) -> Void
    ) -> End? {
        state.failedAt = state.failedAt ?? "\(component.id): \(why)"
        return go(component, through: "e", because: why, &state, say: say)
    }

    /// Goes on through output `output`: nil when it leads on (to `state.current`), else the
    /// failed end at that output.
    func go(
        _ component: Dialplan.Component, through output: String, because why: String, _ state: inout WalkState,
        say: @Sendable (String) -> Void
    ) -> End? {
        guard let next = leave(component, output, &state, say: say) else {
            return .failed(at: "output \(output)", reason: "\(component.id): \(why)")
        }
        state.current = next
        return nil
    }

    /// Follows a good reply: the end it names, or nil when it leads on to `state.current`.
    func follow(
        _ component: Dialplan.Component, _ reply: JSONValue, _ state: inout WalkState, say: @Sendable (String) -> Void
    ) -> End? {
        switch component.kind {
        case .exten:
            return .reached("extension \(reply["extension"]?.displayText ?? "")")
        case .trunk:
            return .reached(
                "trunk \(reply["trunk"]?.displayText ?? "") to \(reply["extension"]?.displayText ?? "")"
                    + " (limit \(reply["call_limit"]?.displayText ?? "") s)")
        case .ivr:
            let chosen = reply["case"]?.displayText ?? ""
            // A case the component has no output for leaves through `e`, as the help says.
            if component.cases[chosen] == nil, component.cases["e"] != nil {
                say("  case \(chosen): no such output on \(component.id); leaving through e")
                return leaveFailing(component, "case \(chosen) is not one of its outputs", &state, say: say)
            }
            return go(component, through: chosen, because: "case \(chosen)", &state, say: say)
        case .smart:
            return runSmart(component, reply, &state, say: say)
        }
    }

    /// Runs a Smart API reply's commands in order (numbers as the service wrote them), then
    /// follows its `Exit`.
    func runSmart(
        _ component: Dialplan.Component, _ reply: JSONValue, _ state: inout WalkState, say: @Sendable (String) -> Void
    ) -> End? {
        let lint = SmartScript.lint(reply["commands"]?.stringValue ?? "")
        for warning in lint.warnings { say("  warning: \(warning.message)") }
        var exit: String?
        for command in lint.script.commands {
            switch command.name {
            case "GetData":
                let entered = state.remaining.popFirst() ?? ""
                state.data = entered
                say("  \(command.text) → caller entered \(entered.isEmpty ? "nothing" : entered)")
            case "Exit":
                if case .string(let c)? = command.arguments.first { exit = c }
                say("  \(command.text)")
            default:
                say("  \(command.text)")
            }
        }
        guard let exit else {
            say("  the script ends without Exit")
            return .failed(at: "no Exit", reason: "\(component.id): no Exit")
        }
        return go(component, through: exit, because: "case \(exit)", &state, say: say)
    }

    /// The next place through output `output` (noted in the step), or nil (said) when the
    /// component has no such case.
    func leave(
        _ component: Dialplan.Component, _ output: String, _ state: inout WalkState, say: @Sendable (String) -> Void
    ) -> String? {
        state.record { $0.output = output }
        guard let next = component.cases[output] else {
            say("  output \(output): no such case on \(component.id)")
            return nil
        }
        say("  → \(output): \(next)")
        return next
    }
}
