import Foundation

/// Strings: most taken in one piece, those with escapes decoded byte by byte.
extension JSONReader {
    /// The bytes as text when they are UTF-8 (ASCII, the usual case, taken without the generic
    /// validation: this runs for every string of every event).
    static func utf8Text(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { all in
            let part = UnsafeBufferPointer(rebasing: all[range])
            if !part.contains(where: { $0 >= 0x80 }) { return String(decoding: part, as: UTF8.self) }
            return String(validating: part, as: UTF8.self)
        }
    }

    mutating func hex4() throws -> UInt32 {
        // Exactly four hex digits: no sign (`\\u+041`, `\\u-000`), no spaces.
        guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for b in bytes[index..<index + 4] {
            guard let digit = Self.hexDigit(b) else { throw fail("invalid \\u escape") }
            v = v << 4 | digit
        }
        index += 4
        return v
    }

    static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Where the string at `index` (its opening quote) ends, when it holds no escape and no
    /// control character: the index of its closing quote; nil otherwise.
    func plainStringEnd() -> Int? {
        var end = index + 1
        while end < bytes.count, bytes[end] != 0x22, bytes[end] != 0x5C, bytes[end] >= 0x20 { end += 1 }
        return end < bytes.count && bytes[end] == 0x22 ? end : nil
    }

    mutating func string() throws -> String {
        index += 1
        // Most strings hold no escape: take them in one piece.
        var end = index
        while end < bytes.count, bytes[end] != 0x22, bytes[end] != 0x5C, bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == 0x22, !building {
            // Checked, not kept.
            let valid = bytes.withUnsafeBufferPointer { all in
                let part = UnsafeBufferPointer(rebasing: all[index..<end])
                return !part.contains(where: { $0 >= 0x80 }) || String(validating: part, as: UTF8.self) != nil
            }
            guard valid else {
                index = end
                throw fail("invalid UTF-8 in string")
            }
            index = end + 1
            return ""
        }
        if end < bytes.count, bytes[end] == 0x22 {
            guard let s = Self.utf8Text(bytes, index..<end) else {
                index = end
                throw fail("invalid UTF-8 in string")
            }
            index = end + 1
            return s
        }
        return try escapedString(plainEnd: end)
    }

    /// The rest of a string that holds an escape or a control character, taken whole up to `plainEnd`.
    mutating func escapedString(plainEnd end: Int) throws -> String {
        var out = [UInt8](bytes[index..<end])
        index = end
        while true {
            guard !atEnd else { throw fail("unterminated string") }
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let s = Self.utf8Text(out, 0..<out.count) else { throw fail("invalid UTF-8 in string") }
                return s
            case UInt8(ascii: "\\"):
                try appendEscape(to: &out)
            default:
                guard b >= 0x20 else { throw fail("control character in string") }
                out.append(b)
            }
        }
    }

    /// Reads the escape after a backslash and appends the UTF-8 bytes it stands for.
    mutating func appendEscape(to out: inout [UInt8]) throws {
        guard !atEnd else { throw fail("unterminated escape") }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let scalar = try unicodeEscape()
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw fail("invalid escape")
        }
    }

    /// The code point of the `\u` escape whose hex digits are at `index`, a surrogate pair read whole.
    mutating func unicodeEscape() throws -> Unicode.Scalar {
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
            guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            else { throw fail("lone surrogate") }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid surrogate pair") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
            throw fail("lone surrogate")
        }
        guard let scalar = Unicode.Scalar(code) else { throw fail("invalid code point") }
        return scalar
    }
}

extension JSONValue {
    /// The name every elapsed time has in what simsh prints and keeps (`$response.time_ms`, an
    /// answer's JSON line, `$reply`, a walk's steps).
    public static let elapsedName = "time_ms"

    /// `("time_ms", 12.345)`: an elapsed time in milliseconds, to the microsecond.
    public static func elapsed(_ milliseconds: Double) -> (String, JSONValue) {
        (elapsedName, .number((milliseconds * 1000).rounded() / 1000))
    }
}
