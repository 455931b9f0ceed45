/// The lexer's classes of characters, read by their bytes.
extension Lexer {
    /// `\n`, `\r\n`, and a lone `\r` (old Mac line endings).
    static func isNewline(_ c: Character) -> Bool {
        let a = ascii(c)
        return a == 10 || a == 13
    }

    /// A character's ASCII value (`\r\n`, one Character, is 10), or 0 for any other character.
    /// `Character.asciiValue` compares the character with `"\r\n"` as strings first: this reads
    /// its bytes, and the lexer asks it of every character of a script.
    @inline(__always)
    static func ascii(_ c: Character) -> UInt8 {
        let bytes = c.utf8
        guard let first = bytes.first, first < 0x80 else { return 0 }
        switch bytes.count {
        case 1: return first
        case 2 where first == 13 && bytes.last == 10: return 10
        default: return 0  // an ASCII letter with a combining mark is not ASCII
        }
    }

    /// True for a character that is part of a word as it is (not a blank, newline, `;`, `\\`,
    /// quote or `$`; `#` only starts a comment before a word).
    static func isPlain(_ c: Character) -> Bool {
        switch ascii(c) {
        case 9, 10, 13, 32, 34, 36, 39, 59, 92: return false  // \t \n \r space " $ ' ; \\
        default: return true
        }
    }

    /// A letter or `_`: what a variable's name starts with.
    static func isNameStart(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
    /// A letter, a digit or `_`: what the rest of a variable's name is made of.
    static func isNameChar(_ c: Character) -> Bool { isNameStart(c) || (c.isASCII && c.isNumber) }
}
