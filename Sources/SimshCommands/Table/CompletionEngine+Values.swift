import SimotelKit
import SimotelWebhooks
import SimshLanguage

/// What completes from values rather than declarations: `$response.`/`$event.` paths into what
/// the session holds, `expect`'s first word, and `simulate event NAME`'s fields.
extension CompletionEngine {
    /// The variables a `$` word starts with: simsh's own, then the session's.
    static let setBySimsh = ["response", "event", "reply", "walk", "listener"]

    /// `$res` → `$response`; `$response.da` → `$response.data`; `$response.data.0.` → its keys.
    func variablePath(_ word: String) -> Result {
        let body = word.dropFirst()
        guard let dot = body.lastIndex(of: ".") else {
            let names = Self.setBySimsh.filter { variableValue($0) != nil } + variableNames().sorted()
            return Result(word: word, candidates: names.map { "$" + $0 }, appendSpace: false)
        }
        let base = String(body[..<dot])
        // `data[0]` as the check language writes it is `data.0` as the session looks it up.
        let path = base.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
        guard let value = variableValue(path) else { return Result(word: word, candidates: [], appendSpace: false) }
        let keys: [String]
        switch value {
        case .object(let pairs): keys = pairs.map(\.0).filter { !$0.contains(" ") && !$0.contains(".") }
        case .array(let items): keys = items.indices.prefix(100).map(String.init)
        default: keys = []
        }
        return Result(word: word, candidates: keys.map { "$\(base).\($0)" }, appendSpace: false)
    }

    /// What completes from values for the command at `path`, if anything.
    func fromValues(_ path: String, _ rest: [String], current: String) -> Result? {
        switch path {
        case Keyword.expect: return expectation(rest, current: current)
        case "simulate event": return eventFields(rest, current: current)
        default: return nil
        }
    }

    /// `expect ` → its shorthands and the values a check reads.
    func expectation(_ rest: [String], current: String) -> Result? {
        guard rest.isEmpty, !current.hasPrefix("$") else { return nil }
        let words = ["success", "status", "fail", "event", Keyword.call, Keyword.events, "exists", "length", "not"]
        let roots = Self.setBySimsh.filter { variableValue($0) != nil }.map { "$\($0)." }
        return Result(word: current, candidates: words + roots, appendSpace: false)
    }

    /// `simulate event NewState ` → `exten=`, `state=`, … (the event's documented fields, those
    /// not given yet).
    func eventFields(_ rest: [String], current: String) -> Result? {
        let positionals = rest.filter { !$0.hasPrefix("-") }
        guard let name = positionals.first, positionals.count >= 1, !current.contains("="), !current.hasPrefix("-"),
            let kind = EventCatalog.kind(named: name), case .object(let pairs) = kind.sample
        else { return nil }
        let typed = Swift.Set(positionals.dropFirst().compactMap { $0.split(separator: "=").first.map(String.init) })
        let names = pairs.map(\.0).filter { $0 != "event_name" && !typed.contains($0) }
        return Result(word: current, candidates: names.map { $0 + "=" }, appendSpace: false)
    }
}
