import Foundation
import SimshRuntime

/// Help as the shell prints it: wrapped at word boundaries to the terminal's width (80 when there
/// is no terminal, or `COLUMNS`), never cutting a word, and through the pager when it is longer
/// than the screen.
public enum HelpText {
    /// The width help is laid out for: the terminal's, else `COLUMNS`, else 80 (at least 40).
    static func width(in session: Session) -> Int {
        let columns = session.terminalWidth?() ?? session.environment["COLUMNS"].flatMap { Int($0) } ?? 80
        return max(40, columns)
    }

    /// Text wrapped to the session's width at word boundaries (the shell's banner).
    public static func wrapped(_ text: String, in session: Session) -> String {
        wrap(text, width: width(in: session))
    }

    /// Prints help text, wrapped to the session's width and paged when long.
    static func show(_ text: String, in session: Session) {
        session.output.page(wrap(text.trimmingCharacters(in: .newlines), width: width(in: session)))
    }

    /// Each line longer than `width` broken at spaces. A continued line starts under the text
    /// of a two-column row (`  name    what it does`), else two columns right of an indented
    /// line's indentation (at 0 for prose at 0), or further left for a long word. A word longer than a line is kept whole on a
    /// line of its own.
    static func wrap(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { raw -> [String] in
            let line = String(raw)
            return line.count <= width ? [line] : wrapLine(line, width: width)
        }.joined(separator: "\n")
    }

    static func wrapLine(_ line: String, width: Int) -> [String] {
        let indent = line.prefix(while: { $0 == " " }).count
        // Words with the spaces before each, so a line's own alignment is kept where it is not broken.
        var pieces: [(gap: String, word: String)] = []
        var gap = ""
        var word = ""
        for c in line.dropFirst(indent) {
            if c == " " {
                if !word.isEmpty {
                    pieces.append((gap, word))
                    gap = ""
                    word = ""
                }
                gap.append(c)
            } else {
                word.append(c)
            }
        }
        if !word.isEmpty { pieces.append((gap, word)) }
        let hanging = hangingIndent(pieces, indent: indent, width: width)
        var out: [String] = []
        var current = String(repeating: " ", count: indent)
        var empty = true
        for piece in pieces {
            if !empty, current.count + piece.gap.count + piece.word.count > width {
                out.append(current)
                // A word too long for the hanging indentation starts further left, to fit if it can.
                let start = hanging + piece.word.count <= width ? hanging : max(0, width - piece.word.count)
                current = String(repeating: " ", count: start) + piece.word
            } else {
                current += (empty ? "" : piece.gap) + piece.word
            }
            empty = false
        }
        out.append(current)
        return out
    }

    /// Where a continued line starts: under the second column when the line has one (a run of
    /// two or more spaces after its first words, in the left half), else the indentation + 2
    /// (an example's command goes on indented), or 0 for a line of prose that starts at 0.
    static func hangingIndent(_ pieces: [(gap: String, word: String)], indent: Int, width: Int) -> Int {
        var column = indent
        for (i, piece) in pieces.enumerated() {
            column += (i == 0 ? 0 : piece.gap.count)
            if i > 0, piece.gap.count >= 2, column <= width / 2 { return column }
            column += piece.word.count
            if column > width / 2 { break }
        }
        return indent == 0 ? 0 : min(indent + 2, width / 2)
    }
}
