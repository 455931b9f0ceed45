/// The dialplan components that call an integrator's service and wait for its JSON reply
/// (webhooks.md §6): what they send and what a valid reply holds.
public enum ComponentKind: String, CaseIterable, Sendable {
    case exten, trunk, ivr, smart

    /// How Simotel's dialplan editor names the component (the default `app_name`).
    public var title: String {
        switch self {
        case .exten: return "Extension API"
        case .trunk: return "Trunk API"
        case .ivr: return "IVR API"
        case .smart: return "Smart API"
        }
    }

    /// `an IVR API`, `a Smart API`: the title with its article.
    public var withArticle: String { (["E", "I"].contains(title.first.map(String.init) ?? "") ? "an " : "a ") + title }

    /// The reply's keys besides `ok` (§6.2–6.5).
    public var replyKeys: [String] {
        switch self {
        case .exten: return ["extension"]
        case .trunk: return ["trunk", "extension", "call_limit"]
        case .ivr: return ["case"]
        case .smart: return ["commands"]
        }
    }

    /// The request's fields (§6.1): `originated_call_id` only for Smart API.
    public var requestFields: [String] {
        ["src", "dst", "data", "unique_id", "app_name"] + (self == .smart ? ["originated_call_id"] : [])
    }

    /// How long Simotel waits for the reply (§6.1; §6.7.1 lists a 5 s setting too).
    public static let deadline: Double = 1

    /// The request Simotel sends: every field, empty unless given.
    public func request(appName: String?, fields: [(String, String)]) -> JSONValue {
        var body = JSONValue.object(requestFields.map { ($0, .string("")) })
        body = body.setting("app_name", to: .string(appName ?? title))
        for (name, value) in fields { body = body.setting(name, to: .string(value)) }
        return body
    }

    /// `{"ok":"0"}`: the reply that tells Simotel the service declines (webhooks.md §6.1); what a
    /// request without a rule, a failed rule or one past its deadline is answered.
    public static let declined: JSONValue = .object([("ok", .string("0"))])

    /// What is wrong with a reply, one line each (empty: Simotel takes it). `cases` are the
    /// Smart API component's exits, when known.
    public func problems(in body: [UInt8], cases: [String]? = nil) -> [String] {
        guard let json = try? JSONValue.parse(body) else {
            let text = String(decoding: body.prefix(60), as: UTF8.self)
            return ["the reply is not JSON: \(text.isEmpty ? "(empty)" : "'\(text)'")"]
        }
        guard case .object(let pairs) = json else { return ["the reply is JSON but not an object"] }
        var problems: [String] = []
        // Parsers disagree on which of two same keys counts: a reply must not depend on it.
        var seen = Set<String>()
        for (key, _) in pairs where !seen.insert(key).inserted {
            problems.append("the reply has \"\(key)\" twice")
        }
        guard problems.isEmpty else { return problems }
        // §6.7.3: "1" in the documentation, 1 from the PHP library: both mean yes.
        switch json["ok"] {
        case .string("1")?, .number(1)?: break
        case nil: problems.append("the reply has no \"ok\"")
        case let other?:
            problems.append("\"ok\" is \(other.serialized()), not \"1\": Simotel takes this as a failed reply")
        }
        guard problems.isEmpty else { return problems }
        for key in replyKeys {
            guard let value = json[key] else {
                problems.append(
                    "the reply has no \"\(key)\" (\(withArticle) reply holds \(replyKeys.map { "\"\($0)\"" }.joined(separator: ", ")))"
                )
                continue
            }
            switch value {
            case .string(let s) where s.isEmpty: problems.append("\"\(key)\" is empty")
            case .string, .number: break
            default: problems.append("\"\(key)\" is \(value.serialized()), not text")
            }
        }
        // §6.3: the call's limit is a number of seconds.
        if self == .trunk, case .string(let limit)? = json["call_limit"], !limit.isEmpty,
            !limit.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        {
            problems.append("\"call_limit\" is '\(limit)', not a number of seconds")
        }
        if self == .smart, case .string(let commands)? = json["commands"], !commands.isEmpty {
            problems += SmartScript.check(commands, cases: cases).mistakes.map { "commands: \($0)" }
        }
        return problems
    }
}
