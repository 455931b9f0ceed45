/// How Simotel ties one call together: the id `originate` answers with and the fields that carry
/// a call's ids in event webhooks, component requests and CDR rows (api-v4.md §8.2.1, §8.12;
/// webhooks.md §4, §6.1). Each surface names them its own way; the rest of simsh reads them here.
public enum CallIdentifiers {
    /// The service that starts a two-way call (`originate`, api-v4.md §8.2.1).
    public static let originatePath = "call/originate/act"

    /// The id `originate` answers with (`data.originated_call_id`, `orig.call.…`). IncomingCall,
    /// OutgoingCall, CdrQueue, Cdr and Smart API requests carry it too, only for originated calls.
    public static let originated = "originated_call_id"

    /// The call's unique id as every sample payload sends it (NewState carries only this).
    public static let unique = "unique_id"

    /// The same id as the docs' tables name it, and as a CDR search row carries it.
    public static let cuid = "cuid"

    /// A CDR search row's own id: not the call's unique id (the row carries that as `cuid`).
    public static let cdrUnique = "uniqueid"

    /// The event fields that name a call, in the order they are tried.
    public static let eventFields = [originated, unique, cuid]

    /// A field's text when it names something: nil when missing, null or empty.
    static func text(_ value: JSONValue?) -> String? {
        guard let value, !value.isNull else { return nil }
        let text = value.displayText
        return text.isEmpty ? nil : text
    }

    /// An event's or a component request's ids: its `originated_call_id` and its unique id
    /// (`unique_id`, else `cuid`).
    public static func of(_ payload: JSONValue) -> (originated: String?, unique: String?) {
        (text(payload[originated]), text(payload[unique]) ?? text(payload[cuid]))
    }

    /// `data.originated_call_id` of an answer, when it has one.
    public static func originatedCall(inAnswer answer: JSONValue) -> String? {
        text(answer["data"]?[originated])
    }

    /// The originated call's id in an answer of the service at `path` (`call/originate/act`, also
    /// under a server's own prefix): nil for any other service, or when the answer has none.
    public static func originatedCall(path: String, answer: JSONValue?) -> String? {
        guard path == originatePath || path.hasSuffix("/" + originatePath), let answer else { return nil }
        return originatedCall(inAnswer: answer)
    }

    /// The ids an answer's rows carry (a CDR search's: each row's `cuid`, `uniqueid`,
    /// `originated_call_id`), each once, in the order met.
    public static func inAnswer(_ answer: JSONValue) -> [String] {
        let data = answer["data"]
        guard case .array(let rows)? = data?["data"] ?? data else { return [] }
        var ids: [String] = []
        var seen: Set<String> = []
        // A page of a CDR search; an answer merged by --all may hold 100,000 rows: the first
        // thousand name enough of its calls to be found by.
        for row in rows.prefix(1000) {
            for key in [cuid, cdrUnique, originated, unique] {
                if let id = text(row[key]), seen.insert(id).inserted { ids.append(id) }
            }
        }
        return ids
    }
}
