import Foundation

/// Lays out a man page written in mdoc as plain text, for `help TOPIC`: the page `man` shows and
/// the shell's help are one source. It knows the part of mdoc simsh's pages use (sections, tag and
/// bullet lists, literal displays, the inline macros of words, options, quotes and references),
/// laid out as mandoc lays out text, without the page's header and footer.
struct ManPageText {
    private var lines: [String] = []
    private var words: [String] = []
    /// Open lists: where their items' bodies start and whether items are apart.
    private var lists: [(body: Int, tagWidth: Int, compact: Bool, bullet: Bool)] = []
    private var pendingTag: String?
    private var literal = false
    private var section = ""
    private let width: Int

    static func render(_ source: String, width: Int = 78) -> String {
        var page = ManPageText(width: width)
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) { page.take(String(line)) }
        page.flush()
        while page.lines.last?.isEmpty == true { page.lines.removeLast() }
        return page.lines.joined(separator: "\n") + "\n"
    }

    private init(width: Int) { self.width = width }

    private var indent: Int { lists.last?.body ?? 5 }

    private mutating func take(_ line: String) {
        if line.hasPrefix(".\\\"") { return }
        guard line.hasPrefix(".") else {
            if literal {
                lines.append(String(repeating: " ", count: indent + 6) + Self.unescape(line))
            } else {
                words += Self.unescape(line).split(separator: " ").map(String.init)
            }
            return
        }
        let tokens = Self.tokens(String(line.dropFirst()))
        guard let macro = tokens.first else { return }
        let args = Array(tokens.dropFirst())
        switch macro {
        case "Dd", "Dt", "Os": return
        case "Sh":
            flush()
            if !lines.isEmpty { lines.append("") }
            section = args.joined(separator: " ")
            lines.append(section)
        case "Ss":
            flush()
            lines += ["", "   " + args.joined(separator: " ")]
        case "Pp":
            flush()
            lines.append("")
        case "Nd": words += ["-"] + [Self.inline(args[...])]
        case "Bd":
            flush()
            literal = true
        case "Ed": literal = false
        case "Dl":
            flush()
            lines.append(String(repeating: " ", count: indent + 6) + Self.inline(args[...]))
        case "Bl":
            flush()
            let bullet = args.contains("-bullet")
            var tagWidth = 8
            if let i = args.firstIndex(of: "-width"), i + 1 < args.count {
                let w = args[i + 1]
                tagWidth = w == "Ds" ? 8 : w.hasSuffix("n") ? (Int(w.dropLast()) ?? 6) + 2 : w.count + 2
            }
            if bullet { tagWidth = 2 }
            lists.append((indent + tagWidth, tagWidth, args.contains("-compact"), bullet))
        case "El":
            flush()
            if !lists.isEmpty { lists.removeLast() }
        case "It":
            flush()
            guard let list = lists.last else { return }
            if !list.compact, lines.last?.isEmpty == false { lines.append("") }
            pendingTag = list.bullet ? "-" : Self.inline(args[...])
        default:
            // Each form of the synopsis starts a line.
            if macro == "Nm", section == "SYNOPSIS" { flush() }
            if !literal { words.append(Self.inline(tokens[...])) }
        }
    }

    /// Writes the words gathered as a wrapped paragraph (after a list item's tag, if one waits).
    private mutating func flush() {
        let text = words.filter { !$0.isEmpty }.joined(separator: " ")
        words = []
        let body = indent
        if let tag = pendingTag {
            pendingTag = nil
            let tagIndent = body - (lists.last?.tagWidth ?? 0)
            let head = String(repeating: " ", count: tagIndent) + tag
            if head.count < body, !text.isEmpty {
                let wrapped = Self.wrap(text, indent: body, width: width)
                lines.append(head.padding(toLength: body, withPad: " ", startingAt: 0) + wrapped[0].dropFirst(body))
                lines += wrapped.dropFirst()
            } else {
                lines.append(head)
                if !text.isEmpty { lines += Self.wrap(text, indent: body, width: width) }
            }
            return
        }
        if !text.isEmpty { lines += Self.wrap(text, indent: body, width: width) }
    }

    static func wrap(_ text: String, indent: Int, width: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var out: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, indent + current.count + 1 + word.count > width {
                out.append(pad + current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { out.append(pad + current) }
        return out.isEmpty ? [pad] : out
    }

    /// A macro line's words; a double quote at a word's start groups words up to the closing one
    /// (`-width "Rest4 POST"`); elsewhere it is text (`{"ok":"0"}`).
    static func tokens(_ line: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        let chars = Array(line)
        for (i, c) in chars.enumerated() {
            if c == "\"", !quoted, current.isEmpty {
                quoted = true
            } else if c == "\"", quoted, i + 1 == chars.count || chars[i + 1] == " " {
                quoted = false
                tokens.append(current)
                current = ""
            } else if c == " " && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    static let enclosing: [String: (String, String)] = [
        "Pq": ("(", ")"), "Dq": ("\"", "\""), "Op": ("[", "]"), "Aq": ("<", ">"), "Ql": ("'", "'"), "Sq": ("'", "'"),
    ]
    static let plain: Set<String> = ["Ar", "Li", "Ic", "Nm", "Pa", "Ev", "Va", "Em", "Sy", "Cm", "No", "Ms", "Dv"]

    static func isDelimiter(_ token: String) -> Bool { token.count == 1 && ".,;:)]?!".contains(token) }

    /// The text of a macro line's words: `Fl c` is `-c`, `Xr simsh 1` is `simsh(1)`, `Pq …` is `(…)`,
    /// closing punctuation keeps to the word before it, `Ns` joins two words.
    static func inline(_ tokens: ArraySlice<String>) -> String {
        var out = ""
        var join = true
        var i = tokens.startIndex
        func add(_ text: String, tight: Bool = false) {
            out += (join || tight || out.isEmpty ? "" : " ") + text
            join = false
        }
        while i < tokens.endIndex {
            let t = tokens[i]
            if t == "Ns" {
                join = true
            } else if let (open, close) = enclosing[t] {
                var end = tokens.endIndex
                while end > i + 1, isDelimiter(tokens[end - 1]) { end -= 1 }
                add(open + inline(tokens[(i + 1)..<end]) + close)
                for d in tokens[end...] { add(unescape(d), tight: true) }
                return out
            } else if t == "Oo" {
                add("[")
                join = true
            } else if t == "Oc" {
                add("]", tight: true)
            } else if t == "Fl" {
                let next = tokens.index(after: i)
                if next < tokens.endIndex, !isDelimiter(tokens[next]), !plain.contains(tokens[next]),
                    tokens[next] != "Fl"
                {
                    add("-" + unescape(tokens[next]))
                    i = next
                } else {
                    add("-")
                }
            } else if t == "Xr" {
                let name = tokens.index(after: i)
                let section = tokens.index(after: name)
                if section < tokens.endIndex {
                    add(unescape(tokens[name]) + "(" + tokens[section] + ")")
                    i = section
                }
            } else if plain.contains(t) {
                // The next words are this macro's: nothing to add for the name itself.
            } else if isDelimiter(t) {
                add(t, tight: true)
            } else {
                add(unescape(t))
            }
            i += 1
        }
        return out
    }

    static let escapes: [(String, String)] = [
        ("\\(dq", "\""), ("\\(sc", "§"), ("\\(en", "-"), ("\\(em", "--"), ("\\&", ""), ("\\-", "-"), ("\\e", "\\"),
    ]

    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var s = text
        for (from, to) in escapes { s = s.replacingOccurrences(of: from, with: to) }
        return s
    }
}
