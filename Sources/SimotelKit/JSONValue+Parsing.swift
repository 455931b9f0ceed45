import Foundation

/// Why a text is not JSON, with the byte offset where reading stopped.
public struct JSONParseError: Error, Equatable, Sendable {
    public let offset: Int
    public let reason: String
}

extension JSONValue {
    /// Parses JSON text (RFC 8259), keeping object key order.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse<C: Collection>(_ bytes: C) throws -> JSONValue where C.Element == UInt8 {
        try parse(Array(bytes))
    }

    /// Checks JSON text as `parse` does and, when it is an object, returns the members named in
    /// `keys` (the first of each name) and how many members it has, without building the other
    /// values: how the listener names an event without parsing all of it. nil: JSON, not an object.
    public static func objectFields(_ bytes: [UInt8], keys: [String]) throws -> (
        fields: [(key: String, value: JSONValue)], count: Int
    )? {
        var reader = JSONReader(bytes: bytes)
        reader.skipSpace()
        guard !reader.atEnd, bytes[reader.index] == UInt8(ascii: "{") else {
            reader.building = false
            _ = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.atEnd else { throw reader.fail("unexpected text after the JSON value") }
            return nil
        }
        reader.index += 1
        var fields: [(key: String, value: JSONValue)] = []
        var count = 0
        reader.skipSpace()
        if !reader.atEnd, bytes[reader.index] == UInt8(ascii: "}") {
            reader.index += 1
        } else {
            while true {
                reader.skipSpace()
                guard !reader.atEnd, bytes[reader.index] == UInt8(ascii: "\"") else {
                    throw reader.fail("expected a key string")
                }
                // A key without escapes is compared as it stands; only a wanted one becomes a String.
                let key: String?
                if let raw = reader.plainStringEnd() {
                    let text = bytes[(reader.index + 1)..<raw]
                    key = keys.first { wanted in
                        wanted.utf8.count == text.count
                            && wanted.utf8.withContiguousStorageIfAvailable { w in
                                text.withUnsafeBufferPointer { t in memcmp(w.baseAddress!, t.baseAddress!, t.count) == 0
                                }
                            } ?? wanted.utf8.elementsEqual(text)
                    }
                    reader.building = false
                    _ = try reader.string()
                    reader.building = true
                } else {
                    let built = try reader.string()
                    key = keys.contains(built) ? built : nil
                }
                reader.skipSpace()
                guard !reader.atEnd, bytes[reader.index] == UInt8(ascii: ":") else { throw reader.fail("expected ':'") }
                reader.index += 1
                reader.skipSpace()
                let wanted = key.map { k in !fields.contains { $0.key == k } } ?? false
                reader.building = wanted
                let value = try reader.value(depth: 1)
                reader.building = true
                if wanted, let key { fields.append((key, value)) }
                count += 1
                reader.skipSpace()
                guard !reader.atEnd else { throw reader.fail("unexpected end of input") }
                if bytes[reader.index] == UInt8(ascii: ",") {
                    reader.index += 1
                    continue
                }
                if bytes[reader.index] == UInt8(ascii: "}") {
                    reader.index += 1
                    break
                }
                throw reader.fail("expected ',' or '}'")
            }
        }
        reader.skipSpace()
        guard reader.atEnd else { throw reader.fail("unexpected text after the JSON value") }
        return (fields, count)
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var reader = JSONReader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.atEnd else { throw reader.fail("unexpected text after the JSON value") }
        return value
    }
}

private struct JSONReader {
    let bytes: [UInt8]
    var index = 0
    /// False while checking a value that is not kept: nothing is built, everything is checked.
    var building = true

    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// The bytes as text when they are UTF-8 (ASCII, the usual case, taken without the generic
    /// validation: this runs for every string of every event).
    static func utf8Text(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        bytes.withUnsafeBufferPointer { all in
            let part = UnsafeBufferPointer(rebasing: all[range])
            if !part.contains(where: { $0 >= 0x80 }) { return String(decoding: part, as: UTF8.self) }
            return String(validating: part, as: UTF8.self)
        }
    }

    mutating func expect(_ literal: StaticString, _ value: JSONValue) throws -> JSONValue {
        let n = literal.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw fail("invalid literal") }
        for i in 0..<n where bytes[index + i] != literal.utf8Start[i] { throw fail("invalid literal") }
        index += n
        return value
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 512 else { throw fail("nesting too deep") }
        guard !atEnd else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default: return try number()
        }
    }

    mutating func object(depth: Int) throws -> JSONValue {
        index += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if !atEnd, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard !atEnd, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key string") }
            let key = try string()
            skipSpace()
            guard !atEnd, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipSpace()
            let member = try value(depth: depth + 1)
            if building { pairs.append((key, member)) }
            skipSpace()
            guard !atEnd else { throw fail("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(pairs)
            }
            throw fail("expected ',' or '}'")
        }
    }

    mutating func array(depth: Int) throws -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if !atEnd, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipSpace()
            let item = try value(depth: depth + 1)
            if building { items.append(item) }
            skipSpace()
            guard !atEnd else { throw fail("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            throw fail("expected ',' or ']'")
        }
    }

    mutating func number() throws -> JSONValue {
        let start = index
        if !atEnd, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        guard index > digitsStart else { throw fail("unexpected character") }
        // RFC 8259: no leading zeros (`01`, `-00`).
        guard index - digitsStart == 1 || bytes[digitsStart] != UInt8(ascii: "0") else {
            throw fail("leading zero in a number")
        }
        if !atEnd, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fracStart = index
            while !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > fracStart else { throw fail("digits expected after '.'") }
        }
        if !atEnd, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if !atEnd, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let expStart = index
            while !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > expStart else { throw fail("digits expected in exponent") }
        }
        // Integers of up to 15 digits (most of what Simotel sends) without going through text.
        if index - start <= 16, !bytes[start..<index].contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) {
            var value = 0
            for b in bytes[digitsStart..<index] { value = value &* 10 &+ Int(b &- 0x30) }
            if index - digitsStart <= 15 { return .number(Double(bytes[start] == 0x2D ? -value : value)) }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let d = Double(text) else { throw fail("invalid number") }
        return .number(d)
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
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw fail("invalid escape")
                }
            default:
                guard b >= 0x20 else { throw fail("control character in string") }
                out.append(b)
            }
        }
    }
}
