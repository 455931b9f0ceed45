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
        let members = try reader.wantedMembers(keys: keys)
        reader.skipSpace()
        guard reader.atEnd else { throw reader.fail("unexpected text after the JSON value") }
        return members
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

struct JSONReader {
    let bytes: [UInt8]
    var index = 0
    /// False while checking a value that is not kept: nothing is built, everything is checked.
    var building = true

    init(bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    /// After an object's member: true when a `,` says another follows, false at the closing `}`.
    mutating func moreMembers() throws -> Bool {
        skipSpace()
        guard !atEnd else { throw fail("unexpected end of input") }
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return true
        }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            return false
        }
        throw fail("expected ',' or '}'")
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
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
            if try !moreMembers() { return .object(pairs) }
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

    /// The members of the object at `index` named in `keys` (the first of each name) and how many it has.
    mutating func wantedMembers(keys: [String]) throws -> (fields: [(key: String, value: JSONValue)], count: Int) {
        index += 1
        var fields: [(key: String, value: JSONValue)] = []
        var count = 0
        skipSpace()
        if !atEnd, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return (fields, count)
        }
        while true {
            skipSpace()
            guard !atEnd, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key string") }
            let key = try wantedKey(keys)
            skipSpace()
            guard !atEnd, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipSpace()
            let wanted = key.map { k in !fields.contains { $0.key == k } } ?? false
            building = wanted
            let member = try value(depth: 1)
            building = true
            if wanted, let key { fields.append((key, member)) }
            count += 1
            if try !moreMembers() { return (fields, count) }
        }
    }

    /// Reads the key string at `index`: the key when it is one of `keys`, else nil.
    mutating func wantedKey(_ keys: [String]) throws -> String? {
        // A key without escapes is compared as it stands; only a wanted one becomes a String.
        let key: String?
        if let raw = plainStringEnd() {
            let text = bytes[(index + 1)..<raw]
            key = keys.first { wanted in
                wanted.utf8.count == text.count
                    && wanted.utf8.withContiguousStorageIfAvailable { w in
                        text.withUnsafeBufferPointer { t in memcmp(w.baseAddress!, t.baseAddress!, t.count) == 0 }
                    } ?? wanted.utf8.elementsEqual(text)
            }
            building = false
            _ = try string()
            building = true
        } else {
            let built = try string()
            key = keys.contains(built) ? built : nil
        }
        return key
    }
}
