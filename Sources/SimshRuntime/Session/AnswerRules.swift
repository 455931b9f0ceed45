import Foundation
import NIOConcurrencyHelpers
import SimotelKit
import SimotelWebhooks
import SimshLanguage
import Synchronization

/// The replies the session's listener gives dialplan components (`answer`): one rule per
/// component name (`app_name`), read on the event loop as requests arrive. A rule replies with
/// fixed fields, or runs a script that computes the reply from the request (`reply …`).
public final class AnswerRules: Sendable {
    public struct Rule: Sendable {
        public var kind: ComponentKind
        public var name: String
        /// The fixed reply; for a script rule, what the listing shows.
        public var reply: JSONValue
        /// A script computing the reply (`answer smart s2 --script route.simsh`).
        public var script: String?
        /// How long the script may take (default: the listener's 800 ms).
        public var within: Duration? = nil

        public init(kind: ComponentKind, name: String, reply: JSONValue, script: String? = nil, within: Duration? = nil)
        {
            self.kind = kind
            self.name = name
            self.reply = reply
            self.script = script
            self.within = within
        }
    }

    private let rules = NIOLockedValueBox([Rule]())
    /// Runs a rule's script for a request's payload and says the reply it gave (set by the
    /// session that owns the rules).
    let runScript = ScriptRunner()

    /// Holds the runner. The closure sits in a struct's field, not as the lock's generic value:
    /// a closure stored as a generic value and accessed `inout` is re-wrapped in two
    /// reabstraction thunks at every access, so each call went through more of them (a rule
    /// answered 0.7 ms, then 3 ms after 10,000 requests).
    final class ScriptRunner: Sendable {
        typealias Run = @Sendable (Rule, JSONValue) async -> JSONValue?
        private struct Slot { var run: Run? }
        private let slot = Mutex(Slot())

        func set(_ run: @escaping Run) { slot.withLock { $0.run = run } }
        var current: Run? { slot.withLock { $0.run } }
    }

    public init() {}

    public var all: [Rule] { rules.withLockedValue { $0 } }

    /// Sets the rule for a component name (replacing one there was).
    public func set(_ rule: Rule) {
        rules.withLockedValue { list in
            list.removeAll { $0.name == rule.name }
            list.append(rule)
        }
    }

    /// Removes a rule; false when there was none.
    public func remove(_ name: String) -> Bool {
        rules.withLockedValue { list in
            let before = list.count
            list.removeAll { $0.name == name }
            return list.count != before
        }
    }

    /// How to answer a request's payload, by its `app_name`.
    public func answer(to payload: JSONValue) -> ComponentAnswer? {
        guard let name = payload["app_name"]?.stringValue,
            let rule = rules.withLockedValue({ list in list.last { $0.name == name } })
        else { return nil }
        guard rule.script != nil, let run = runScript.current else { return .reply(rule.reply) }
        return .compute(rule: name, within: rule.within) { await run(rule, payload) }
    }

    /// `{"ok":"1", …}` for a kind from `key=value` fields: each a key of the kind's reply, every
    /// key given, a Smart API script without mistakes.
    package static func reply(kind: ComponentKind, fields: [(String, String)], command: String) throws -> JSONValue {
        var members: [(String, JSONValue)] = [("ok", .string("1"))]
        for (key, value) in fields {
            guard kind.replyKeys.contains(key) else {
                throw SimshError.usage(
                    "\(command): '\(key)' is not one of \(kind.replyKeys.map { "\($0)=…" }.joined(separator: ", "))")
            }
            var text = value
            if kind == .smart {
                let (script, mistakes) = SmartScript.check(value)
                guard mistakes.isEmpty else {
                    throw SimshError.usage(
                        "\(command): the Smart API script has mistakes: "
                            + mistakes.map(\.description).joined(separator: "; "))
                }
                text = script.text
            }
            members.removeAll { $0.0 == key }
            members.append((key, .string(text)))
        }
        let missing = kind.replyKeys.filter { key in !members.contains { $0.0 == key } }
        guard missing.isEmpty else {
            throw SimshError.usage("\(command): give \(missing.map { "\($0)=…" }.joined(separator: ", "))")
        }
        // What component call would say of it, said now.
        let reply = JSONValue.object(members)
        let problems = kind.problems(in: Array(reply.serialized().utf8))
        guard problems.isEmpty else { throw SimshError.usage("\(command): " + problems.joined(separator: "; ")) }
        return reply
    }
}

/// A rule's script at work: the request it answers and the reply it gave (`reply`).
package final class RuleAnswer: Sendable {
    package let kind: ComponentKind
    private let given = Mutex<JSONValue?>(nil)

    init(kind: ComponentKind) { self.kind = kind }

    package var reply: JSONValue? {
        get { given.withLock { $0 } }
        set { given.withLock { $0 = newValue } }
    }
}

extension Session {
    /// Runs an answer rule's script in a session of its own — `$request` the request's fields,
    /// its output shown above the prompt — and returns the reply it gave with `reply`.
    static func runRule(
        _ rule: AnswerRules.Rule, payload: JSONValue, commands: any CommandSet, environment: [String: String],
        paths: SimshPaths, output: Output
    ) async -> JSONValue? {
        guard let script = rule.script else { return rule.reply }
        let sink = BufferSink()
        let session = Session(output: Output(sink: sink), commands: commands, environment: environment, paths: paths)
        session.setValue("request", payload)
        let answer = RuleAnswer(kind: rule.kind)
        session.ruleAnswer = answer
        let interpreter = Interpreter(session: session)
        let status = await interpreter.runScriptFile(script, arguments: [])
        // Past the deadline the listener has answered already, and says so.
        if Task.isCancelled { return nil }
        await session.close()  // whatever the script started (a listener, a connection) ends with it
        // The script's session writes no colour: an escape sequence in its output came from the
        // request's data.
        for (text, toError) in [(sink.standardOutput, false), (sink.standardError, true)] {
            for line in text.split(separator: "\n") {
                output.announce(
                    "[\(rule.name)] " + line.replacingOccurrences(of: "\u{1B}", with: "\u{FFFD}"), toError: toError)
            }
        }
        if status != 0 || answer.reply == nil {
            output.announceWarning(
                "the rule for '\(rule.name)' "
                    + (status != 0 ? "failed (exit \(status))" : "gave no reply (reply …)")
                    + "; answered \(ComponentKind.declined.serialized())")
        }
        return status == 0 ? answer.reply : nil
    }
}
