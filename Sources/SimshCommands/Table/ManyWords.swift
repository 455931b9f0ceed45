import ArgumentParser

/// A command whose trailing positional words may be many (echo's words, call's fields).
/// argument-parser records each value of an array argument with a union of all earlier ones, so
/// a command of 16,000 words took seconds; such a list is handed to it in a few joined words and
/// split again after parsing, which keeps a long line linear.
protocol ManyWords {
    /// Single positional words declared before the list (call's PATH: 1).
    static var positionalsBeforeWords: Int { get }
    /// The list, as the declaration's `[String]` argument.
    var manyWords: [String] { get set }
}

enum ManyWordsParsing {
    /// Lines shorter than this are parsed as they are.
    static let threshold = 64
    /// Joins words inside one argument; a line that holds it is parsed as it is.
    static let separator: Character = "\u{1F}"

    /// Parses `words` for a command `type`, or nil when the short way does not apply.
    static func parse(_ type: any ParsableCommand.Type, _ words: [String]) throws -> ParsableCommand? {
        guard let many = type as? any ManyWords.Type, let packed = pack(words, keep: many.positionalsBeforeWords + 1),
            var parsed = try type.parseAsRoot(packed) as? any ManyWords & ParsableCommand
        else { return nil }
        parsed.manyWords = unpack(parsed.manyWords)
        return parsed
    }

    /// The catalog commands' options, parsed the same way.
    static func parseOptions(_ words: [String]) throws -> APIOptions {
        guard let packed = pack(words, keep: APIOptions.positionalsBeforeWords + 1) else {
            return try APIOptions.parse(words)
        }
        var options = try APIOptions.parse(packed)
        options.manyWords = unpack(options.manyWords)
        return options
    }

    /// In each run of words that do not start with `-`, the first may be an option's value and
    /// the first few may be single positionals: those stay apart, the rest are joined.
    static func pack(_ words: [String], keep: Int) -> [String]? {
        guard words.count >= threshold, !words.contains(where: { $0.contains(separator) }) else { return nil }
        var packed: [String] = []
        var run: [String] = []
        func flush() {
            packed += run.prefix(keep)
            if run.count > keep { packed.append(run.dropFirst(keep).joined(separator: String(separator))) }
            run = []
        }
        for word in words {
            if word.hasPrefix("-") && word.count > 1 {
                flush()
                packed.append(word)
            } else {
                run.append(word)
            }
        }
        flush()
        return packed
    }

    static func unpack(_ words: [String]) -> [String] {
        words.flatMap { $0.split(separator: separator, omittingEmptySubsequences: false) }.map(String.init)
    }
}
