import SimotelKit

extension DialplanWalk {
    /// What a walk found: how it ended and each step, which `$walk` holds.
    public struct Outcome: Sendable {
        public var end: End
        public var steps: [Step]

        /// The components in the order the call reached them.
        public var path: [String] { steps.map(\.component) }

        /// Where it ended, in words: `extension 120`, `queue 900`, `hangup`; `output e` when it
        /// failed through output `e` (wherever that led), `output X` for a case the component lacks.
        public var words: String {
            switch end {
            case .reached(let place): return place
            case .failed(let at, _): return at
            }
        }

        public var succeeded: Bool { if case .reached = end { true } else { false } }

        /// `$walk`: `end`, `ok`, `reason` (null when it succeeded), `path`, `steps` (`component`,
        /// `kind`, `request`, `reply`, `status`, `time_ms`, `output`, `problems`), with the
        /// call's `src`, `dst` and the dialplan's file.
        public func json(dialplan: String, src: String, dst: String) -> JSONValue {
            var reason = JSONValue.null
            if case .failed(_, let why) = end { reason = .string(why) }
            return .object([
                ("end", .string(words)), ("ok", .bool(succeeded)), ("reason", reason),
                ("path", .array(path.map { JSONValue.string($0) })), ("steps", .array(steps.map(\.json))),
                ("src", .string(src)), ("dst", .string(dst)), ("dialplan", .string(dialplan)),
            ])
        }
    }
}

extension DialplanWalk.Step {
    /// One of `$walk.steps`.
    public var json: JSONValue {
        let httpStatus: JSONValue = status.map { JSONValue.number(Double($0)) } ?? .null
        let time = timeMilliseconds.map { JSONValue.elapsed($0) } ?? (JSONValue.elapsedName, .null)
        let left: JSONValue = output.map { JSONValue.string($0) } ?? .null
        let said: [JSONValue] = problems.map { JSONValue.string($0) }
        return .object([
            ("component", .string(component)), ("kind", .string(kind.rawValue)), ("request", request),
            ("reply", reply ?? .null), ("status", httpStatus), time, ("output", left),
            ("problems", .array(said)),
        ])
    }
}
