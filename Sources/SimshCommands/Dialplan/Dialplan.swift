import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime
import TOMLKit

/// A small dialplan of API components (`simulate call --dialplan FILE.toml`):
///
///     start = "s1"
///     [components.s1]
///     kind = "smart"                       # exten, trunk, ivr or smart
///     url = "http://127.0.0.1:8080/"
///     cases = { go-s2 = "s2", e = "hangup" }
///     [components.s2]
///     kind = "smart"
///     url = "http://127.0.0.1:8080/"
///     cases = { go-a = "queue 900", go-b = "queue 901" }
///
/// A case leads to another component (by its table name) or to an end (`queue 900`,
/// `extension 120`, `hangup`, any text). `app_name` defaults to the table's name.
public struct Dialplan: Sendable {
    public struct Component: Sendable {
        public var id: String
        public var kind: ComponentKind
        public var appName: String
        public var url: String
        public var cases: [String: String]
    }

    public var start: String
    public var components: [String: Component]

    /// Reads a dialplan file; mistakes are usage errors naming the file (and the place, for TOML).
    public static func load(_ path: String) throws -> Dialplan {
        guard let text = try AtomicFile.read(path) else { throw SimshError.io("cannot read \(path): no such file") }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SimshError.usage(
                "\(path):\(e.source.begin.line):\(e.source.begin.column): invalid TOML: \(e.description)")
        } catch {
            throw SimshError.usage("\(path): invalid TOML")
        }
        guard let section = table["components"]?.table, !section.keys.isEmpty else {
            throw SimshError.usage("\(path): no [components.NAME] tables")
        }
        var components: [String: Component] = [:]
        for id in section.keys {
            guard let t = section[id]?.table else { throw SimshError.usage("\(path): components.\(id) is not a table") }
            guard let kindText = t["kind"]?.string, let kind = ComponentKind(rawValue: kindText) else {
                throw SimshError.usage("\(path): components.\(id).kind must be exten, trunk, ivr or smart")
            }
            guard let url = t["url"]?.string else { throw SimshError.usage("\(path): components.\(id) has no url") }
            var cases: [String: String] = [:]
            if let c = t["cases"]?.table {
                for key in c.keys {
                    guard let next = c[key]?.string else {
                        throw SimshError.usage("\(path): components.\(id).cases.\(key) must be text")
                    }
                    cases[key] = next
                }
            }
            components[id] = Component(
                id: id, kind: kind, appName: t["app_name"]?.string ?? id, url: url, cases: cases)
        }
        let start = table["start"]?.string ?? section.keys.sorted()[0]
        guard components[start] != nil else { throw SimshError.usage("\(path): start = '\(start)' is no component") }
        // A case leads to a component or to an end written as words (`queue 900`, `hangup`): a
        // single word that names no component is a mistake, not an end.
        for component in components.values.sorted(by: { $0.id < $1.id }) {
            for (name, next) in component.cases.sorted(by: { $0.key < $1.key })
            where components[next] == nil && next != "hangup" && !next.contains(" ") {
                throw SimshError.usage(
                    "\(path): components.\(component.id).cases.\(name) = '\(next)' names no component "
                        + "(an end is written as words: 'queue 900', 'extension 120', 'hangup')")
            }
        }
        return Dialplan(start: start, components: components)
    }
}

/// One call walked through a dialplan the way Simotel walks it: each component's request to its
/// URL within the 1-second deadline, Smart API commands run in order (`GetData` takes the next of
/// the digits and sends it as `data` onward, `Exit` follows its case), a bad reply or a timeout
/// leaving through output `e`.
public struct DialplanWalk: Sendable {
    public var plan: Dialplan
    public var src: String
    public var dst: String
    public var digits: [String]
    public var deadline: Double = ComponentKind.deadline

    public init(plan: Dialplan, src: String, dst: String, digits: [String]) {
        self.plan = plan
        self.src = src
        self.dst = dst
        self.digits = digits
    }

    /// How the call ended.
    public enum End: Sendable, Equatable {
        /// It reached an end (`queue 900`, `extension 120`, …).
        case reached(String)
        /// It left through output `e` (or an error) with nowhere to go.
        case failed(String)
    }

    /// Where a walk stands: the component it is at, the digits left and the data sent onward.
    struct WalkState {
        var data = ""
        var remaining: ArraySlice<String>
        // Output `e` may lead on (to an announcement, a hangup): the call still failed there.
        var failedAt: String?
        var current: String
    }

    /// Walks the call, reporting one line per step through `say`.
    public func run(say: @Sendable (String) -> Void) async -> End {
        var state = WalkState(remaining: digits[...], current: plan.start)
        let uniqueID = String(format: "%.5f", Date().timeIntervalSince1970)
        for _ in 0..<64 {
            guard let component = plan.components[state.current] else {
                if let failedAt = state.failedAt {
                    return .failed("\(failedAt), left through output e to \(state.current)")
                }
                return .reached(state.current)
            }
            if let end = await step(component, &state, uniqueID: uniqueID, say: say) { return end }
        }
        return .failed("more than 64 steps: a loop in the dialplan?")
    }

    /// One component's request and reply: the end if the call ends there, else nil (`state` moved on).
    func step(
        _ component: Dialplan.Component, _ state: inout WalkState, uniqueID: String, say: @Sendable (String) -> Void
    ) async -> End? {
        let request = component.kind.request(
            appName: component.appName,
            fields: [("src", src), ("dst", dst), ("data", state.data), ("unique_id", uniqueID)])
        let result: WebhookSender.Result
        do {
            result = try await WebhookSender(timeout: deadline).send(
                request, eventName: component.kind.title, to: component.url)
        } catch {
            let reason = await TransportErrorDescription.describe(error, timeout: deadline, url: component.url)
            say("\(component.id) (\(component.kind.title)): no reply: \(reason)")
            return leaveFailing(component, "no reply", &state, say: say)
        }
        let ms = String(format: "%.0f", result.elapsedMilliseconds)
        let body = String(decoding: result.body.prefix(300), as: UTF8.self)
        let data = state.data.isEmpty ? "\"\"" : state.data
        say("\(component.id) (\(component.kind.title)) data=\(data): \(ms) ms, reply \(body)")
        let problems =
            component.kind.problems(in: result.body, cases: Array(component.cases.keys))
            + ((200..<300).contains(result.status) ? [] : ["HTTP \(result.status)"])
        guard problems.isEmpty, let reply = try? JSONValue.parse(result.body) else {
            for p in problems { say("  bad reply: \(p)") }
            return leaveFailing(component, "bad reply", &state, say: say)
        }
        return follow(component, reply, &state, say: say)
    }

    /// Leaves through output `e` after `why` (no reply, a bad reply): nil when it leads on.
    func leaveFailing(
        _ component: Dialplan.Component, _ why: String, _ state: inout WalkState, say: @Sendable (String) -> Void
    ) -> End? {
        state.failedAt = state.failedAt ?? "\(component.id): \(why)"
        guard let next = leave(component, "e", say: say) else { return .failed("\(component.id): \(why)") }
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
            guard let next = leave(component, chosen, say: say) else {
                return .failed("\(component.id): case \(chosen)")
            }
            state.current = next
            return nil
        case .smart:
            return runSmart(component, reply, &state, say: say)
        }
    }

    /// Runs a Smart API reply's commands in order, then follows its `Exit`.
    func runSmart(
        _ component: Dialplan.Component, _ reply: JSONValue, _ state: inout WalkState, say: @Sendable (String) -> Void
    ) -> End? {
        let script = SmartScript.check(reply["commands"]?.stringValue ?? "").script
        var exit: String?
        for command in script.commands {
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
            return .failed("\(component.id): no Exit")
        }
        guard let next = leave(component, exit, say: say) else {
            return .failed("\(component.id): case \(exit)")
        }
        state.current = next
        return nil
    }

    /// The next place through output `output`, or nil (said) when the component has none.
    func leave(_ component: Dialplan.Component, _ output: String, say: @Sendable (String) -> Void) -> String? {
        guard let next = component.cases[output] else {
            say("  output \(output): no such case on \(component.id)")
            return nil
        }
        say("  → \(output): \(next)")
        return next
    }
}
