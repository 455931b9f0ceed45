import Foundation
import SafeFiles
import SimshLanguage
import Synchronization

/// The persistent history of interactive lines. Every entered line is added at once with an
/// atomic rewrite (merge with what other shells wrote, trim, temp file, rename), so a crash or
/// `kill -9` loses nothing already entered. Secrets are masked before anything is written;
/// a line starting with a space is not kept. A path that is not a file (`/dev/null`, as in bash's
/// `HISTFILE=/dev/null`) turns the file off: nothing is read, written or locked there.
public final class HistoryStore: Sendable {
    public let path: String
    public let limit: Int
    /// No history file: the path is `/dev/null` or another device.
    public let isOff: Bool
    private let lock = Mutex(())

    public init(path: String, limit: Int = 10_000) {
        self.path = path
        self.limit = limit
        if path == "/dev/null" {
            isOff = true
        } else if case .replace = try? SafePath.target(path) {
            isOff = false
        } else {
            isOff = (try? SafePath.target(path)) != nil
        }
    }

    /// The entries, oldest first.
    public func entries() throws -> [String] {
        if isOff { return [] }
        return try lock.withLock { _ in try readEntries() }
    }

    /// Records one entered line; returns what was stored (masked), or nil when nothing was.
    @discardableResult
    public func record(_ line: String) throws -> String? {
        guard let entry = Self.entry(for: line) else { return nil }
        if isOff { return entry }
        try lock.withLock { _ in
            try AtomicFile.withLock(path) {
                var all = try readEntries()
                if all.last == entry { return }
                all.append(entry)
                if all.count > limit { all.removeFirst(all.count - limit) }
                try AtomicFile.write(all.map { $0 + "\n" }.joined(), to: path)
            }
        }
        return entry
    }

    /// The text a line is stored as (secrets masked), or nil when it is not stored.
    public static func entry(for line: String) -> String? {
        recall(for: line).map(Redactor.redact)
    }

    /// The line as this session recalls it (Up, Ctrl-R): on one line, exactly as typed, secrets
    /// included — only the file gets the masked form. Nil when the line is not kept.
    public static func recall(for line: String) -> String? {
        if isPrivate(line) { return nil }
        var oneLine = line.replacingOccurrences(of: "\\\n", with: "")
        // Lines of a block (`repeat 2` / `echo x` / `end`) are commands: joined with `;` they
        // still are, and recalled they run.
        if oneLine.contains(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }),
            let commands = try? Lexer.parse(oneLine, file: "-"), !commands.isEmpty
        {
            oneLine = commands.map(\.raw).joined(separator: "; ")
        }
        oneLine = oneLine.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        let trimmed = oneLine.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A line typed with a leading space or tab: kept out of the history file, this session's
    /// recall and a recording (as in bash with `HISTCONTROL=ignorespace`).
    public static func isPrivate(_ line: String) -> Bool {
        line.hasPrefix(" ") || line.hasPrefix("\t")
    }

    public func clear() throws {
        if isOff { return }
        try lock.withLock { _ in
            try AtomicFile.withLock(path) { try AtomicFile.write("", to: path) }
        }
    }

    private func readEntries() throws -> [String] {
        guard let text = try AtomicFile.read(path) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
