/// The `expect` forms about one call's events, checked as far as they can be before anything
/// runs (words holding variables are checked when they run):
/// `expect call ID reaches EVENT [--where F=V]… within DURATION` and
/// `expect events NAME -> NAME [-> NAME…] for ID within DURATION`.
extension StatementParser {
    static let callUsage = "expect call ID reaches EVENT [--where F=V]… within DURATION"
    static let sequenceUsage = "expect events NAME -> NAME [-> NAME…] for ID within DURATION"

    /// `expect call ID reaches EVENT [--where F=V]… within DURATION`.
    static func callForm(_ c: ParsedCommand) throws -> Statement.ExpectForm {
        let w = c.words
        guard w.count >= 3, w[2].literalText != "reaches" else {
            throw SimshError.usage(
                "expect call needs a call's id: \(callUsage)", at: w.count >= 3 ? w[2].location : c.location)
        }
        guard w.count >= 4, w[3].literalText == "reaches" else {
            throw SimshError.usage(
                "expect call ID needs 'reaches EVENT': \(callUsage)", at: w.count >= 4 ? w[3].location : c.location)
        }
        let name = w.count >= 5 ? w[4].literalText : nil
        guard w.count >= 5, name != "within", !(name?.hasPrefix("-") ?? false) else {
            throw SimshError.usage(
                "expect call … reaches needs an event name: \(callUsage)",
                at: w.count >= 5 ? w[4].location : c.location)
        }
        let duration = try withinClause(c, after: 5, usage: callUsage)
        let options = Array(w[5..<(w.count - 2)])
        try checkConditions(options)
        return .call(id: w[2], event: w[4], options: options, within: duration)
    }

    /// `expect events NAME -> NAME [-> NAME…] for ID within DURATION`.
    static func sequenceForm(_ c: ParsedCommand) throws -> Statement.ExpectForm {
        let w = c.words
        let duration = try withinClause(c, after: 2, usage: sequenceUsage)
        let within = w.count - 2
        guard within >= 4, w[within - 2].literalText == "for" else {
            if within >= 3, w[within - 1].literalText == "for" {
                throw SimshError.usage(
                    "expect events: 'for' needs a call's id: \(sequenceUsage)", at: w[within - 1].location)
            }
            throw SimshError.usage("expect events needs 'for ID' before 'within': \(sequenceUsage)", at: c.location)
        }
        let names = try sequenceNames(Array(w[2..<(within - 2)]), in: c)
        return .sequence(names: names, id: w[within - 1], within: duration)
    }

    /// The event names of `NAME -> NAME [-> NAME…]`: two or more, each `->` between two names.
    static func sequenceNames(_ parts: [Word], in c: ParsedCommand) throws -> [Word] {
        var names: [Word] = []
        var wantName = true
        for word in parts {
            let text = word.literalText
            if text == "->" {
                guard !wantName else { throw SimshError.usage("'->' with no event name before it", at: word.location) }
                wantName = true
                continue
            }
            guard wantName else {
                throw SimshError.usage(
                    "event names in order are joined by '->' (NAME -> NAME), not '\(text ?? "…")' alone",
                    at: word.location)
            }
            if let text, text.contains("->") {
                throw SimshError.usage("'\(text)': put spaces around '->' (NAME -> NAME)", at: word.location)
            }
            names.append(word)
            wantName = false
        }
        if wantName, let last = parts.last {
            throw SimshError.usage("'->' with no event name after it", at: last.location)
        }
        guard names.count >= 2 else {
            throw SimshError.usage(
                "expect events needs two event names or more (NAME -> NAME; for one, expect call ID reaches NAME)",
                at: names.first?.location ?? c.location)
        }
        return names
    }

    /// `within DURATION` as the last two words, after word `after`: the duration's word (its
    /// text checked when it is written out).
    static func withinClause(_ c: ParsedCommand, after: Int, usage: String) throws -> Word {
        let w = c.words
        guard w.count >= after + 2, w[w.count - 2].literalText == "within" else {
            let what = usage.split(separator: " ").prefix(2).joined(separator: " ")
            throw SimshError.usage("\(what) needs 'within DURATION' at its end: \(usage)", at: c.location)
        }
        let duration = w[w.count - 1]
        if let text = duration.literalText, DurationParser.seconds(text) == nil {
            throw SimshError.usage("'\(text)' is not a duration (5s, 500ms, 1m; at most a year)", at: duration.location)
        }
        return duration
    }

    /// `--where F=V` and `--where=F=V`, as far as their words are written out.
    static func checkConditions(_ options: [Word]) throws {
        var i = 0
        while i < options.count {
            defer { i += 1 }
            guard let text = options[i].literalText else { continue }
            let condition: Word
            let conditionText: String?
            if text == "--where" {
                guard i + 1 < options.count else {
                    throw SimshError.usage("--where needs FIELD=VALUE", at: options[i].location)
                }
                i += 1
                condition = options[i]
                conditionText = options[i].literalText
            } else if text.hasPrefix("--where=") {
                condition = options[i]
                conditionText = String(text.dropFirst("--where=".count))
            } else {
                throw SimshError.usage(
                    "expect call: unexpected '\(text)' (--where FIELD=VALUE, then within DURATION)",
                    at: options[i].location)
            }
            if let conditionText, FieldCondition(conditionText) == nil {
                throw SimshError.usage("expect call: '\(conditionText)' is not FIELD=VALUE", at: condition.location)
            }
        }
    }
}
