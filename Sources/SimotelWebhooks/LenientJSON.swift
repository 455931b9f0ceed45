/// Reads the bodies Simotel's own samples print but that are not RFC 8259 JSON (webhooks.md §5,
/// items 8 and 9), as the JSON they mean: only after the strict parser refused a body, and never
/// when the listener is strict. What it writes is parsed by the strict parser again; what that
/// refuses stays refused (400).
///
/// - A Python literal (`repr` of a dict: the OutgoingFax, Survey and AutoDialerReport samples):
///   single-quoted strings (with Python's escapes, a `u` prefix allowed) become JSON strings, and
///   `None`, `True`, `False` outside strings become `null`, `true`, `false`.
/// - A bare number with a leading zero (the IncomingCall sample's `"number": 09331112233`): it is
///   a phone number, kept as the string of its digits (`"09331112233"`), never as 9331112233.
///
/// Double-quoted strings are copied as they stand: a `'` or `None` inside one is text.
public enum LenientJSON {
    /// What was not JSON, as the record and the log note it (`"lenient": "python literal"`).
    public enum Quirk: String, Sendable, CaseIterable {
        case leadingZeroNumber = "leading-zero number"
        case pythonLiteral = "python literal"

        /// What a person is told the first time a body of this kind is accepted.
        public var explanation: String {
            switch self {
            case .leadingZeroNumber:
                return "its body is not JSON (a number with a leading zero); the number is kept as the string "
                    + "of its digits"
            case .pythonLiteral:
                return "its body is a Python literal (single quotes, None/True/False), not JSON; read as the "
                    + "JSON it means"
            }
        }
    }

    /// The body rewritten as strict JSON text, and what was rewritten (a Python literal when it
    /// was one, even with leading-zero numbers in it); nil when there was nothing to rewrite.
    /// One pass, no recursion; the output is at most six times the input (a control byte in a
    /// single-quoted string becomes `\u00XX`), and the body is already bounded by the listener.
    public static func normalize(_ bytes: [UInt8]) -> (bytes: [UInt8], quirk: Quirk)? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var python = false
        var leadingZero = false
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == quote {
                guard let end = appendDoubleQuoted(bytes, from: i, to: &out) else { return nil }
                i = end
            } else if b == apostrophe {
                guard let end = appendSingleQuoted(bytes, from: i, to: &out) else { return nil }
                i = end
                python = true
            } else if b == minus || isDigit(b) {
                i = appendNumber(bytes, from: i, to: &out, leadingZero: &leadingZero)
            } else if isWordStart(b) {
                i = appendWord(bytes, from: i, to: &out, python: &python)
            } else {
                out.append(b)
                i += 1
            }
        }
        if python { return (out, .pythonLiteral) }
        if leadingZero { return (out, .leadingZeroNumber) }
        return nil
    }

    /// Copies the double-quoted string at `start`; returns the index after it, nil when it does not close.
    static func appendDoubleQuoted(_ bytes: [UInt8], from start: Int, to out: inout [UInt8]) -> Int? {
        // A JSON string: copied as it stands, escapes and all.
        let n = bytes.count
        var i = start + 1
        while i < n, bytes[i] != quote {
            if bytes[i] == backslash { i += 1 }
            i += 1
        }
        guard i < n else { return nil }
        i += 1
        out += bytes[start..<i]
        return i
    }

    /// Copies the number at `start`, one with a leading zero as the string of its digits; returns its end.
    static func appendNumber(_ bytes: [UInt8], from start: Int, to out: inout [UInt8], leadingZero: inout Bool) -> Int {
        let n = bytes.count
        var j = start + 1
        while j < n, isNumberByte(bytes[j]) { j += 1 }
        let token = bytes[start..<j]
        if token.count >= 2, bytes[start] == zero, token.allSatisfy(isDigit) {
            out.append(quote)
            out += token
            out.append(quote)
            leadingZero = true
        } else {
            out += token
        }
        return j
    }

    /// Copies the word at `start`, Python's `None`, `True`, `False` as JSON's, a `u` prefix dropped; returns its end.
    static func appendWord(_ bytes: [UInt8], from start: Int, to out: inout [UInt8], python: inout Bool) -> Int {
        let n = bytes.count
        let b = bytes[start]
        var j = start + 1
        while j < n, isWordByte(bytes[j]) { j += 1 }
        let word = bytes[start..<j]
        if word.elementsEqual("None".utf8) {
            out += "null".utf8
            python = true
        } else if word.elementsEqual("True".utf8) {
            out += "true".utf8
            python = true
        } else if word.elementsEqual("False".utf8) {
            out += "false".utf8
            python = true
        } else if word.count == 1, b == UInt8(ascii: "u") || b == UInt8(ascii: "U"), j < n,
            bytes[j] == apostrophe || bytes[j] == quote
        {
            // Python 2's u'text' (u"O'Brien" when the text holds a quote): the prefix is
            // dropped, the string follows.
            python = true
        } else {
            out += word
        }
        return j
    }

    /// Writes the single-quoted Python string opening at `start` as a JSON string; returns the
    /// index after its closing quote, or nil when it does not close or holds a bad escape.
    static func appendSingleQuoted(_ bytes: [UInt8], from start: Int, to out: inout [UInt8]) -> Int? {
        let n = bytes.count
        var i = start + 1
        out.append(quote)
        while i < n {
            let b = bytes[i]
            if b == apostrophe {
                out.append(quote)
                return i + 1
            }
            if b == quote {
                out += [backslash, quote]
                i += 1
                continue
            }
            guard b == backslash else {
                appendTextByte(b, to: &out)
                i += 1
                continue
            }
            guard i + 1 < n else { return nil }
            let e = bytes[i + 1]
            i += 2
            guard appendEscape(e, bytes, at: &i, to: &out) else { return nil }
        }
        return nil
    }

    /// Writes Python's escape `\e` as JSON, moving `i` past the digits it reads; false when it is bad.
    static func appendEscape(_ e: UInt8, _ bytes: [UInt8], at i: inout Int, to out: inout [UInt8]) -> Bool {
        switch e {
        case apostrophe: out.append(apostrophe)
        case quote: out += [backslash, quote]
        case backslash: out += [backslash, backslash]
        case UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "b"), UInt8(ascii: "f"):
            out += [backslash, e]
        case UInt8(ascii: "a"): appendUnicodeEscape(0x07, to: &out)
        case UInt8(ascii: "v"): appendUnicodeEscape(0x0B, to: &out)
        case 0x0A: break  // a backslash at the end of a line continues the string
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
            return appendHexEscape(bytes, at: &i, count: count, to: &out)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            appendOctalEscape(e, bytes, at: &i, to: &out)
        default:
            // Python keeps an unknown escape as it is written: the backslash and the character.
            out += [backslash, backslash]
            appendTextByte(e, to: &out)
        }
        return true
    }

    /// Writes the code point of the `count` hex digits at `i` (a surrogate pair past U+FFFF); false when bad.
    static func appendHexEscape(_ bytes: [UInt8], at i: inout Int, count: Int, to out: inout [UInt8]) -> Bool {
        guard i + count <= bytes.count else { return false }
        var value: UInt32 = 0
        for h in bytes[i..<(i + count)] {
            guard let digit = hexValue(h) else { return false }
            value = value << 4 | digit
        }
        i += count
        guard value <= 0x10FFFF else { return false }
        if value >= 0x10000 {
            let w = value - 0x10000
            appendUnicodeEscape(0xD800 + (w >> 10), to: &out)
            appendUnicodeEscape(0xDC00 + (w & 0x3FF), to: &out)
        } else {
            appendUnicodeEscape(value, to: &out)
        }
        return true
    }

    /// Writes an octal escape, `e` the first of its up to three digits (`\0`, `\012`).
    static func appendOctalEscape(_ e: UInt8, _ bytes: [UInt8], at i: inout Int, to out: inout [UInt8]) {
        var value = UInt32(e - zero)
        var digits = 1
        while digits < 3, i < bytes.count, (zero...UInt8(ascii: "7")).contains(bytes[i]) {
            value = value << 3 | UInt32(bytes[i] - zero)
            i += 1
            digits += 1
        }
        appendUnicodeEscape(value, to: &out)
    }

    /// A byte of a string's text: control bytes escaped, the rest (UTF-8 included) as it is.
    static func appendTextByte(_ b: UInt8, to out: inout [UInt8]) {
        if b < 0x20 {
            appendUnicodeEscape(UInt32(b), to: &out)
        } else {
            out.append(b)
        }
    }

    /// `\uXXXX` (four lower-case hex digits) for a value up to 0xFFFF.
    static func appendUnicodeEscape(_ value: UInt32, to out: inout [UInt8]) {
        out += [backslash, UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case zero...UInt8(ascii: "9"): return UInt32(b - zero)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= zero && b <= UInt8(ascii: "9") }

    /// What a JSON number token is made of (digits, sign, point, exponent).
    static func isNumberByte(_ b: UInt8) -> Bool {
        isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            || b == UInt8(ascii: "+") || b == minus
    }

    static func isWordStart(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_")
    }

    static func isWordByte(_ b: UInt8) -> Bool { isWordStart(b) || isDigit(b) }

    static let hexDigits = Array("0123456789abcdef".utf8)
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")
}
