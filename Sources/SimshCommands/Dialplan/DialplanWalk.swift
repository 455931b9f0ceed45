import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime

/// One call walked through a dialplan the way Simotel walks it: each component's request to its
/// URL within the 1-second deadline, Smart API commands run in order (`GetData` takes the next of
/// the digits and sends it as `data` onward, `Exit` follows its case), an IVR API component
/// taking the next of the digits as its `data` (webhooks.md §6.4), a bad reply or a timeout
/// leaving through output `e`.
public struct DialplanWalk: Sendable {
    public var plan: Dialplan
    public var src: String
    public var dst: String
    public var digits: [String]
    public var deadline: Double = ComponentKind.deadline
    /// Shows each request and reply as the API's are shown (`-v`, `trace on`).
    public var trace: SimotelClient.Trace?

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
        /// It failed: `at` is where, in words (`output e`), `reason` why.
        case failed(at: String, reason: String)
    }

    /// One component's request and reply, as `$walk.steps` holds them.
    public struct Step: Sendable {
        public var component: String
        public var kind: ComponentKind
        public var request: JSONValue
        public var status: Int?
        public var timeMilliseconds: Double?
        /// The reply as JSON; nil when there was none or it was not JSON.
        public var reply: JSONValue?
        /// The output the call left through (`go-s2`, `e`); nil when it ended here.
        public var output: String?
        /// What was wrong: no reply, a bad reply.
        public var problems: [String] = []
    }

    /// Where a walk stands: the component it is at, the digits left and the data sent onward.
    struct WalkState {
        var data = ""
        var remaining: ArraySlice<String>
        // Output `e` may lead on (to an announcement, a hangup): the call still failed there.
        var failedAt: String?
        var current: String
        var steps: [Step] = []

        /// Changes the step under way.
        mutating func record(_ change: (inout Step) -> Void) {
            if !steps.isEmpty { change(&steps[steps.count - 1]) }
        }
    }

    /// Walks the call, reporting one line per step through `say`.
    public func run(say: @Sendable (String) -> Void) async -> Outcome {
        var state = WalkState(remaining: digits[...], current: plan.start)
        let uniqueID = String(format: "%.5f", Date().timeIntervalSince1970)
        for _ in 0..<64 {
            guard let component = plan.components[state.current] else {
                return finish(.reached(state.current), state)
            }
            if let end = await step(component, &state, uniqueID: uniqueID, say: say) { return finish(end, state) }
        }
        return finish(.failed(at: "a loop", reason: "more than 64 steps: a loop in the dialplan?"), state)
    }

    /// The outcome of a walk that ended at `end`: a failure when it left through output `e` on
    /// its way there.
    func finish(_ end: End, _ state: WalkState) -> Outcome {
        if case .reached(let place) = end, let failedAt = state.failedAt {
            return Outcome(
                end: .failed(at: "output e", reason: "\(failedAt), left through output e to \(place)"),
                steps: state.steps)
        }
        return Outcome(end: end, steps: state.steps)
    }

    /// One component's request and reply: the end if the call ends there, else nil (`state` moved on).
    func step(
        _ component: Dialplan.Component, _ state: inout WalkState, uniqueID: String, say: @Sendable (String) -> Void
    ) async -> End? {
        if component.kind == .ivr {
            // The caller types at the IVR's announcement; the digits go to the service as `data`.
            state.data = state.remaining.popFirst() ?? ""
        }
        let request = component.kind.request(
            appName: component.appName,
            fields: [("src", src), ("dst", dst), ("data", state.data), ("unique_id", uniqueID)])
        state.steps.append(Step(component: component.id, kind: component.kind, request: request))
        let result: WebhookSender.Result
        do {
            result = try await WebhookSender(timeout: deadline).send(
                request, eventName: component.kind.title, to: component.url, basicAuth: component.basicAuth,
                trace: trace)
        } catch {
            let reason = await TransportErrorDescription.describe(error, timeout: deadline, url: component.url)
            say("\(component.id) (\(component.kind.title)): no reply: \(reason)")
            state.record { $0.problems = ["no reply: \(reason)"] }
            return leaveFailing(component, "no reply", &state, say: say)
        }
        let ms = String(format: "%.0f", result.elapsedMilliseconds)
        let body = String(decoding: result.body.prefix(300), as: UTF8.self)
        let data = state.data.isEmpty ? "\"\"" : state.data
        say("\(component.id) (\(component.kind.title)) data=\(data): \(ms) ms, reply \(body)")
        let problems =
            component.kind.problems(in: result.body, cases: Array(component.cases.keys))
            + ((200..<300).contains(result.status) ? [] : ["HTTP \(result.status)"])
        let reply = try? JSONValue.parse(result.body)
        state.record {
            $0.status = result.status
            $0.timeMilliseconds = result.elapsedMilliseconds
            $0.reply = reply
            $0.problems = problems
        }
        guard problems.isEmpty, let reply else {
            for p in problems { say("  bad reply: \(p)") }
            return leaveFailing(component, "bad reply", &state, say: say)
        }
        return follow(component, reply, &state, say: say)
    }
}
