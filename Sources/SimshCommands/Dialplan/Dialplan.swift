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

    /// Walks the call, reporting one line per step through `say`.
    public func run(say: @Sendable (String) -> Void) async -> End {
        var data = ""
        var remaining = digits[...]
        // Output `e` may lead on (to an announcement, a hangup): the call still failed there.
        var failedAt: String?
        var current = plan.start
        let uniqueID = String(format: "%.5f", Date().timeIntervalSince1970)
        for _ in 0..<64 {
            guard let component = plan.components[current] else {
                if let failedAt { return .failed("\(failedAt), left through output e to \(current)") }
                return .reached(current)
            }
            let request = component.kind.request(
                appName: component.appName,
                fields: [("src", src), ("dst", dst), ("data", data), ("unique_id", uniqueID)])
            let result: WebhookSender.Result
            do {
                result = try await WebhookSender(timeout: deadline).send(
                    request, eventName: component.kind.title, to: component.url)
            } catch {
                let reason = await TransportErrorDescription.describe(error, timeout: deadline, url: component.url)
                say("\(component.id) (\(component.kind.title)): no reply: \(reason)")
                failedAt = failedAt ?? "\(component.id): no reply"
                guard let next = leave(component, "e", say: say) else { return .failed("\(component.id): no reply") }
                current = next
                continue
            }
            let ms = String(format: "%.0f", result.elapsedMilliseconds)
            let body = String(decoding: result.body.prefix(300), as: UTF8.self)
            say(
                "\(component.id) (\(component.kind.title)) data=\(data.isEmpty ? "\"\"" : data): \(ms) ms, reply \(body)"
            )
            let problems =
                component.kind.problems(in: result.body, cases: Array(component.cases.keys))
                + ((200..<300).contains(result.status) ? [] : ["HTTP \(result.status)"])
            guard problems.isEmpty, let reply = try? JSONValue.parse(result.body) else {
                for p in problems { say("  bad reply: \(p)") }
                failedAt = failedAt ?? "\(component.id): bad reply"
                guard let next = leave(component, "e", say: say) else { return .failed("\(component.id): bad reply") }
                current = next
                continue
            }
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
                current = next
            case .smart:
                let script = SmartScript.check(reply["commands"]?.stringValue ?? "").script
                var exit: String?
                for command in script.commands {
                    switch command.name {
                    case "GetData":
                        let entered = remaining.popFirst() ?? ""
                        data = entered
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
                current = next
            }
        }
        return .failed("more than 64 steps: a loop in the dialplan?")
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
