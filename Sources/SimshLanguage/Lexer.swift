/// Splits script text into commands of shell-like words: `'…'` (literal), `"…"` (with `$VAR`
/// and `${VAR}`), `\` escapes, `#` comments, `;` or newline between commands, `\` at the end
/// of a line to continue it.
public struct Lexer {
    /// Why text is not a complete script.
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
        public var location: SourceLocation
        /// True when more input could complete the text (open quote, trailing `\`).
        public var needsMoreInput: Bool

        public var error: SimshError { SimshError.usage(message, at: location) }
    }

    private let chars: [Character]
    /// The text, whose UTF-8 offset `byte` is where `chars[index]` starts: a run of plain
    /// characters is copied from it at once.
    private let text: String
    private var byte = 0
    /// The same characters, shared with the commands.
    private let script: ScriptText
    private let file: String
    private var index = 0
    private var line: Int
    private var column = 1

    private var commands: [ParsedCommand] = []
    private var words: [Word] = []
    private var parts: [Word.Part] = []
    private var literal = ""
    private var wordStarted = false
    private var wordStart = 0
    private var wordLocation: SourceLocation

    init(text: String, file: String, firstLine: Int) {
        chars = Array(text)
        script = ScriptText(chars)
        // A byte-order mark some editors write is not part of the first command.
        if chars.first == "\u{FEFF}" {
            index = 1
            byte = 3
        }
        self.text = text
        self.file = file
        line = firstLine
        wordLocation = SourceLocation(file: file, line: firstLine, column: 1)
    }

    /// Parses a whole text into commands.
    public static func parse(_ text: String, file: String, firstLine: Int = 1) throws(Failure) -> [ParsedCommand] {
        var lexer = Lexer(text: text, file: file, firstLine: firstLine)
        try lexer.run()
        return lexer.commands
    }

    /// True when the text ends inside a quote or after a continuation `\` (the REPL then
    /// reads another line).
    public static func needsMoreInput(_ text: String) -> Bool {
        do {
            _ = try parse(text, file: "-")
            return false
        } catch {
            return error.needsMoreInput
        }
    }

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private mutating func advance() -> Character {
        let c = chars[index]
        index += 1
        byte += c.utf8.count
        if Self.isNewline(c) {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return c
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    private mutating func startWord() {
        guard !wordStarted else { return }
        wordStarted = true
        wordStart = index
        wordLocation = here
    }

    private mutating func flushLiteral() {
        if !literal.isEmpty {
            parts.append(.literal(literal))
            literal = ""
        }
    }

    private mutating func endWord() {
        guard wordStarted else { return }
        if parts.isEmpty {
            // Plain text (most words): no array of parts.
            words.append(Word(text: literal, location: wordLocation, sourceRange: wordStart..<index))
            literal = ""
        } else {
            flushLiteral()
            words.append(Word(parts: parts, location: wordLocation, sourceRange: wordStart..<index))
            parts = []
        }
        wordStarted = false
    }

    private mutating func endCommand() {
        endWord()
        if let first = words.first, let last = words.last {
            commands.append(
                ParsedCommand(
                    words: words, script: script, span: first.sourceRange.lowerBound..<last.sourceRange.upperBound))
        }
        words = []
    }

    /// Reads the whole text into `commands`.
    mutating func run() throws(Failure) {
        // The characters are switched on by their ASCII value: comparing `Character`s compares
        // strings, and this loop sees every character of a script.
        while index < chars.count {
            switch Self.ascii(chars[index]) {
            case 32, 9:  // space, tab
                endWord()
                index += 1
                byte += 1
                column += 1
            case 10, 13, 59:  // \n, \r\n, \r, ;
                endCommand()
                _ = advance()
            case 35 where !wordStarted:  // #
                while let n = peek(), !Self.isNewline(n) { _ = advance() }
            case 92:  // \\
                try backslash()
            case 39:  // '
                startWord()
                try singleQuoted()
            case 34:  // "
                startWord()
                try doubleQuoted()
            case 36:  // $
                startWord()
                try variable()
            default:
                startWord()
                plainRun()
            }
        }
        endCommand()
    }

    /// `\` before a newline continues the line; before anything else it escapes that character.
    private mutating func backslash() throws(Failure) {
        if let n = peek(1), Self.isNewline(n) {
            _ = advance()
            _ = advance()
            return
        }
        startWord()
        let at = here
        _ = advance()
        guard peek() != nil else {
            throw Failure(message: "unexpected end of input after '\\'", location: at, needsMoreInput: true)
        }
        literal.append(advance())
    }

    /// `'…'`: every character up to the closing quote as it is.
    private mutating func singleQuoted() throws(Failure) {
        let open = here
        _ = advance()
        var closed = false
        while let n = peek() {
            _ = advance()
            if n == "'" {
                closed = true
                break
            }
            literal.append(n)
        }
        if !closed { throw Failure(message: "unterminated single quote", location: open, needsMoreInput: true) }
    }

    /// A run of plain characters (no newline among them), joined to the word at once.
    private mutating func plainRun() {
        let start = index
        let startByte = byte
        byte += chars[index].utf8.count
        index += 1
        while index < chars.count, Self.isPlain(chars[index]) {
            byte += chars[index].utf8.count
            index += 1
        }
        column += index - start
        let utf8 = text.utf8
        let run = text[
            utf8.index(utf8.startIndex, offsetBy: startByte)..<utf8.index(utf8.startIndex, offsetBy: byte)]
        if literal.isEmpty { literal = String(run) } else { literal += run }
    }

    private mutating func doubleQuoted() throws(Failure) {
        let open = here
        _ = advance()
        while let c = peek() {
            switch c {
            case "\"":
                _ = advance()
                return
            case "\\":
                let next = peek(1)
                if let n = next, Self.isNewline(n) {
                    _ = advance()
                    _ = advance()
                } else if let n = next, n == "\"" || n == "\\" || n == "$" || n == "`" {
                    _ = advance()
                    literal.append(advance())
                } else {
                    literal.append(advance())
                }
            case "$":
                try variable()
            default:
                literal.append(advance())
            }
        }
        throw Failure(message: "unterminated double quote", location: open, needsMoreInput: true)
    }

    /// `$NAME`, `$NAME.field.sub`, `$1`, `$#`, `$?`, `${NAME}`; a `$` before anything else is literal.
    private mutating func variable() throws(Failure) {
        let at = here
        if peek(1) == "{" {
            _ = advance()
            _ = advance()
            var name = ""
            while let c = peek(), c != "}" {
                if Self.isNewline(c) { break }
                name.append(advance())
            }
            guard peek() == "}" else {
                throw Failure(message: "unterminated ${", location: at, needsMoreInput: false)
            }
            _ = advance()
            guard !name.isEmpty else {
                throw Failure(message: "empty variable name in ${}", location: at, needsMoreInput: false)
            }
            flushLiteral()
            parts.append(.variable(name))
            return
        }
        if let special = peek(1), special == "#" || special == "?" {
            _ = advance()
            _ = advance()
            flushLiteral()
            parts.append(.variable(String(special)))
            return
        }
        guard let first = peek(1), Self.isNameStart(first) || (first.isASCII && first.isNumber) else {
            literal.append(advance())
            return
        }
        _ = advance()
        var name = ""
        if first.isNumber {
            while let c = peek(), c.isASCII, c.isNumber { name.append(advance()) }
        } else {
            while let c = peek(), Self.isNameChar(c) { name.append(advance()) }
            while true {
                if peek() == ".", let n = peek(1), Self.isNameChar(n) {
                    name.append(advance())
                    while let c = peek(), Self.isNameChar(c) { name.append(advance()) }
                } else if peek() == "[", let n = peek(1), n.isASCII, n.isNumber {
                    // `$response.data[0].number` as in expressions: the same as `.0`.
                    var k = 1
                    while let d = peek(k), d.isASCII, d.isNumber { k += 1 }
                    guard peek(k) == "]" else { break }
                    _ = advance()
                    name.append(".")
                    while let d = peek(), d.isASCII, d.isNumber { name.append(advance()) }
                    _ = advance()
                } else {
                    break
                }
            }
        }
        flushLiteral()
        parts.append(.variable(name))
    }
}
