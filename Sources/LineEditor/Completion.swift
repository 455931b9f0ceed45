import CEditLine
import Foundation

/// What can complete the word before the cursor.
public struct Completion: Sendable, Equatable {
    /// The partial word being completed (as typed).
    public var word: String
    /// Full replacements for that word.
    public var candidates: [String]
    /// Whether a unique candidate is followed by a space.
    public var appendSpace: Bool

    public init(word: String, candidates: [String], appendSpace: Bool = true) {
        self.word = word
        self.candidates = candidates
        self.appendSpace = appendSpace
    }

    /// The longest text all candidates start with.
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

extension LineEditor {
    /// Tab: insert what all candidates share; list them when that adds nothing.
    func complete() -> UInt8 {
        guard let el, let info = el_line(el) else { return UInt8(CC_ERROR) }
        let before = Self.text(info.pointee.buffer, info.pointee.cursor)
        let completion = completer(before)
        let matches = completion.candidates.filter { Self.unquoted($0).hasPrefix(completion.word) }
        guard !matches.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        // A candidate that must be quoted (`"forward_policy.No Answer"=`) replaces the typed word.
        if matches.count == 1, let only = matches.first, only.hasPrefix("\""), !completion.word.hasPrefix("\"") {
            el_deletestr(el, Int32(completion.word.count))
            _ = el_insertstr(el, only)
            return UInt8(CC_REFRESH)
        }
        let narrowed = Completion(word: completion.word, candidates: matches, appendSpace: completion.appendSpace)
        let prefix = narrowed.commonPrefix
        if matches.count == 1 {
            var insert = String(prefix.dropFirst(completion.word.count))
            if completion.appendSpace && !prefix.hasSuffix("=") && !prefix.hasSuffix("/") { insert += " " }
            if !insert.isEmpty { _ = el_insertstr(el, insert) }
            return UInt8(CC_REFRESH)
        }
        if prefix.count > completion.word.count {
            _ = el_insertstr(el, String(prefix.dropFirst(completion.word.count)))
            return UInt8(CC_REFRESH)
        }
        let columns = Int(simsh_terminal_columns(STDOUT_FILENO))
        writeOut("\r\n" + Self.columnize(matches, width: columns) + "\r\n")
        return UInt8(CC_REDISPLAY)
    }

    /// A candidate as typed before its quotes: `"a b"=` → `a b=`.
    static func unquoted(_ candidate: String) -> String {
        guard candidate.hasPrefix("\"") else { return candidate }
        return candidate.replacingOccurrences(of: "\"", with: "")
    }

    static func columnize(_ items: [String], width: Int) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        var rows: [String] = []
        var row = ""
        for (i, item) in items.enumerated() {
            row += item.padding(toLength: cell, withPad: " ", startingAt: 0)
            if (i + 1) % perRow == 0 {
                rows.append(row)
                row = ""
            }
        }
        if !row.isEmpty { rows.append(row) }
        return rows.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\r\n")
    }
}
