import SimotelKit
import SimshLanguage
import SimshRuntime

/// Turns `field=value` words into the JSON body of a catalog service, checked against the
/// catalog before anything is sent: unknown fields, missing required ones and values outside
/// an allowed set are usage errors (exit 2) that name the field.
struct EndpointRequest {
    let spec: EndpointSpec

    func build(_ words: [String]) throws -> JSONValue {
        if words.count == 1, words[0].hasPrefix("{") {
            return try RequestBody.build(words)
        }
        var body = JSONValue.object([])
        var given: Swift.Set<String> = []
        var queue = try words.map(split)[...]
        while let (name, raw, isJSON) = queue.popFirst() {
            // `forward_policy:='{"Busy":"571"}'`: a whole object for fields the catalog lists one by
            // one (`forward_policy.Busy`, ...); each key is checked as if typed `forward_policy.Busy:=…`.
            if isJSON, spec.field(typed: name) == nil, spec.fields.contains(where: { $0.name.hasPrefix(name + ".") }) {
                guard case .object(let members)? = try? JSONValue.parse(raw) else {
                    throw SimshError.usage("\(spec.command): \(name):= wants a JSON object of its fields, not '\(raw)'")
                }
                queue.insert(
                    contentsOf: members.map { ("\(name).\($0.0)", $0.1.serialized(), true) }, at: queue.startIndex)
                continue
            }
            guard let field = spec.field(typed: name) else { throw unknownField(name) }
            let path = field.kind == .object && name.hasPrefix(field.name + ".") ? name : field.name
            let value = try convert(raw, isJSON: isJSON, for: field, name: path)
            body = body.setting(path: path.split(separator: ".").map(String.init), to: value)
            given.insert(field.name)
        }
        body = spec.withDefaults(body, given: given)
        let missing = spec.fields.filter {
            $0.need == .required && !given.contains($0.name) && lookup(body, $0.name) == nil
        }
        if !missing.isEmpty {
            let names = missing.map(\.name).joined(separator: ", ")
            throw SimshError.usage("\(spec.command): missing required field\(missing.count > 1 ? "s" : "") \(names)")
        }
        return body
    }

    /// `unknown field 'nmae'; did you mean 'name'?`, else the list of fields.
    func unknownField(_ name: String) -> SimshError {
        let names = spec.typedFieldNames
        if let near = names.map({ ($0, EditDistance.between($0.lowercased(), name.lowercased())) })
            .filter({ $0.1 <= max(1, min(2, name.count / 3)) }).min(by: { $0.1 < $1.1 })?.0
        {
            return SimshError.usage("\(spec.command): unknown field '\(name)'; did you mean '\(near)'?")
        }
        let known = spec.fields.map(\.name).joined(separator: ", ")
        return SimshError.usage("\(spec.command): unknown field '\(name)' (fields: \(known.isEmpty ? "none" : known))")
    }

    func split(_ word: String) throws -> (String, String, Bool) {
        if let r = word.range(of: ":="), !word[..<r.lowerBound].contains("=") {
            return (String(word[..<r.lowerBound]), String(word[r.upperBound...]), true)
        }
        guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
            throw SimshError.usage("\(spec.command): '\(word)' is not field=value or field:=JSON")
        }
        return (String(word[..<eq]), String(word[word.index(after: eq)...]), false)
    }

    /// Sends the JSON type of the documentation's samples: strings by default, numbers, booleans
    /// and arrays (`numbers=1111,2222`) where the samples have them; `field:=JSON` as given.
    func convert(_ raw: String, isJSON: Bool, for field: FieldSpec, name: String) throws -> JSONValue {
        if isJSON {
            do { return try JSONValue.parse(raw) } catch {
                throw SimshError.usage("\(spec.command): \(name):= wants a JSON value, not '\(raw)'")
            }
        }
        if !field.allowed.isEmpty && !field.allowed.contains(raw) {
            throw SimshError.usage(
                "\(spec.command): \(name) must be one of \(field.allowed.joined(separator: ", ")), not '\(raw)'")
        }
        switch field.kind {
        case .string: return .string(raw)
        case .number:
            guard let d = Double(raw) else {
                throw SimshError.usage("\(spec.command): \(name) must be a number, not '\(raw)'")
            }
            return .number(d)
        case .bool:
            switch raw.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: throw SimshError.usage("\(spec.command): \(name) must be true or false, not '\(raw)'")
            }
        case .array:
            return .array(raw.isEmpty ? [] : raw.split(separator: ",").map { .string(String($0)) })
        case .object:
            throw SimshError.usage("\(spec.command): \(name) is an object: give \(name):=JSON or \(name).KEY=value")
        }
    }

    func lookup(_ body: JSONValue, _ dotted: String) -> JSONValue? {
        var v: JSONValue? = body
        for part in dotted.split(separator: ".") { v = v?[String(part)] }
        return v
    }
}
