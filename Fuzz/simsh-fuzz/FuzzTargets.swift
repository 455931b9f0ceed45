import Foundation
import HTTPServerKit
import SimotelKit
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

// Fuzz targets for libFuzzer (`scripts/fuzz`, built with `-sanitize=fuzzer,address -DFUZZING`),
// chosen by SIMSH_FUZZ_TARGET. Built without FUZZING (as every `swift build` does), the same
// checks run over files given as arguments: `simsh-fuzz TARGET FILE...` replays the kept
// regression cases (Fuzz/regressions/TARGET), which the test suite does.
//
// Each target checks a property, not only the absence of a crash:
//   json      JSONValue.parse accepts what Foundation's JSONSerialization accepts, with the same
//             value; objectFields (the listener's reader) agrees with parse
//   lexer     the script lexer and the check language's expressions never crash
//   webhook   the webhook decoder on any method, target, content type and body: an answer or a
//             typed failure; strict, a JSON body it accepts is one parse accepts; lenient, it
//             accepts all that, read alike, and what else it accepts LenientJSON made JSON
//   toml      the profile loader on any file: profiles or a typed error
//   envelope  the envelope decoder on any JSON
//   redactor  a secret after --password (or in password=…) never survives redaction

enum FuzzTarget: String, CaseIterable {
    case json, lexer, webhook, toml, envelope, redactor

    func run(_ bytes: [UInt8]) {
        switch self {
        case .json: Self.json(bytes)
        case .lexer: Self.lexer(bytes)
        case .webhook: Self.webhook(bytes)
        case .toml: Self.toml(bytes)
        case .envelope: Self.envelope(bytes)
        case .redactor: Self.redactor(bytes)
        }
    }

    static func fail(_ why: String, _ bytes: [UInt8]) -> Never {
        fatalError("\(why); input (base64): \(Data(bytes).base64EncodedString())")
    }

    static func json(_ bytes: [UInt8]) {
        let ours = try? JSONValue.parse(bytes)
        let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        // Where the two readers are known to differ by design, the input is not compared:
        // Foundation accepts a byte-order mark, and numbers out of Double's range in some places
        // (as infinity) but refuses them in others (`[1,2.5e3888]`); RFC 8259 leaves both to
        // the reader, and simsh takes such a number as infinity.
        // Foundation also takes a NUL byte as the end of the text (`1\0\0` is 1) and a comma
        // before a closing bracket; RFC 8259 (and simsh) takes neither.
        let comparable =
            !bytes.starts(with: [0xEF, 0xBB, 0xBF]) && !bytes.contains(0) && !Self.hasTrailingComma(bytes)
            && !(theirs.map(Self.hasHugeNumber) ?? false) && !(ours.map(Self.hasHugeNumber) ?? false)
        if comparable {
            if (ours == nil) != (theirs == nil) {
                fail("JSON accepted by \(ours == nil ? "Foundation" : "simsh") only", bytes)
            }
            if let ours, let theirs, !Self.same(ours, theirs) {
                fail("JSON read differently: \(ours) vs \(theirs)", bytes)
            }
        }
        // objectFields: nil when the JSON is not an object; throws when it is not JSON.
        let fields: (fields: [(key: String, value: JSONValue)], count: Int)??
        do { fields = .some(try JSONValue.objectFields(bytes, keys: ["event_name", "a"])) } catch { fields = nil }
        switch (ours, fields) {
        case (nil, .some): fail("objectFields accepted what parse refuses", bytes)
        case (.some, nil): fail("objectFields refused what parse accepts", bytes)
        case (.some(.object(let pairs)), .some(.some(let f))):
            if f.count != pairs.count { fail("objectFields counted \(f.count) members of \(pairs.count)", bytes) }
            for (key, value) in f.fields where pairs.first(where: { $0.0 == key })?.1 != value {
                fail("objectFields read \(key) differently", bytes)
            }
        case (.some(.object), .some(nil)): fail("objectFields missed an object", bytes)
        case (.some, .some(.some)): fail("objectFields found an object parse does not", bytes)
        default: break
        }
    }

    /// A `,` followed (after blanks) by `}` or `]`, outside strings.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false
        var escaped = false
        var comma = false
        for b in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if b == 0x5C {
                    escaped = true
                } else if b == 0x22 {
                    inString = false
                }
                continue
            }
            switch b {
            case 0x22:
                inString = true
                comma = false
            case 0x2C: comma = true
            case 0x20, 0x09, 0x0A, 0x0D: break
            case 0x7D, 0x5D: if comma { return true }
            default: comma = false
            }
        }
        return false
    }

    static func hasHugeNumber(_ value: Any) -> Bool {
        switch value {
        case let v as JSONValue:
            switch v {
            case .number(let n): return !n.isFinite
            case .array(let a): return a.contains(where: hasHugeNumber)
            case .object(let o): return o.contains { hasHugeNumber($0.1) }
            default: return false
            }
        case let n as NSNumber: return !n.doubleValue.isFinite
        case let a as [Any]: return a.contains(where: hasHugeNumber)
        case let d as [String: Any]: return d.values.contains(where: hasHugeNumber)
        default: return false
        }
    }

    /// Whether our value is Foundation's (object members compared by their last value of a name,
    /// as Foundation keeps it).
    static func same(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let b):
            guard let n = theirs as? NSNumber else { return false }
            return n.boolValue == b
        case .number(let d):
            guard let n = theirs as? NSNumber else { return false }
            // Foundation reads a number of many digits as a Decimal (38 digits), whose Double is
            // a few ulps from the nearest one, which simsh reads (strtod `6.66666666662666666`
            // is 6.666666666626667, Foundation's 6.666666666626665): close is enough there.
            let t = n.doubleValue
            return t == d || (t.isNaN && d.isNaN)
                || (n is NSDecimalNumber && abs(t - d) <= max(abs(t), abs(d)) * 1e-13)
        case .string(let s): return (theirs as? String) == s
        case .array(let items):
            guard let a = theirs as? [Any], a.count == items.count else { return false }
            return zip(items, a).allSatisfy { same($0, $1) }
        case .object(let pairs):
            guard let d = theirs as? [String: Any] else { return false }
            var last: [String: JSONValue] = [:]
            for (k, v) in pairs { last[k] = v }
            guard last.count == d.count else { return false }
            return last.allSatisfy { k, v in d[k].map { same(v, $0) } ?? false }
        }
    }

    static func lexer(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? Lexer.parse(text, file: "fuzz.simsh")
        _ = try? Expression.parse(text)
    }

    static func webhook(_ bytes: [UInt8]) {
        // The first three lines are the method, the target and the content type; the rest the body.
        let parts = bytes.split(separator: 0x0A, maxSplits: 3, omittingEmptySubsequences: false).map(Array.init)
        func line(_ i: Int) -> String { i < parts.count ? String(decoding: parts[i], as: UTF8.self) : "" }
        let body = parts.count > 3 ? parts[3] : []
        let request = ServerRequest(
            method: line(0), uri: line(1).isEmpty ? "/" : line(1),
            headers: line(2).isEmpty ? [] : [("Content-Type", line(2))], body: body, remoteAddress: "127.0.0.1:1")
        let strict = try? WebhookDecoder.decode(request, prefix: "/", strict: true)
        if let strict, strict.variant.hasSuffix("/POST"), (try? JSONValue.parse(body)) == nil {
            fail("the strict decoder accepted a JSON body parse refuses", bytes)
        }
        guard let decoded = try? WebhookDecoder.decode(request, prefix: "/") else {
            if strict != nil { fail("the lenient decoder refused what the strict one accepts", bytes) }
            return
        }
        if let strict, strict != decoded { fail("the lenient decoder read JSON differently", bytes) }
        if decoded.variant.hasSuffix("/POST") {
            // Read leniently, the text it became is JSON parse accepts; else the body itself is.
            let text: [UInt8]? = decoded.lenient == nil ? body : LenientJSON.normalize(body)?.bytes
            if text.flatMap({ try? JSONValue.parse($0) }) == nil {
                fail("the decoder accepted a JSON body parse refuses", bytes)
            }
        }
        _ = decoded.fields.value
    }

    static let tomlPath: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simsh-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("config.toml").path
    }()

    static func toml(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: tomlPath, contents: Data(bytes)) else { return }
        chmod(tomlPath, 0o600)
        _ = try? ProfileStore(path: tomlPath).load()
    }

    static func envelope(_ bytes: [UInt8]) {
        guard let json = try? JSONValue.parse(bytes) else { return }
        _ = SimotelEnvelope(json: json)
    }

    static let secret = "Zq7secretX"

    static func redactor(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        // The fuzzed text itself may spell the secret: only the one put after the option counts.
        guard !text.contains("Zq7") else { return }
        let half = text.index(text.startIndex, offsetBy: text.count / 2)
        let (before, after) = (text[..<half], text[half...])
        for line in [
            "\(before) --password \(secret) \(after)", "\(before) --api-key=\(secret) \(after)",
            "\(before) password=\(secret) \(after)",
        ] {
            // Only where the secret is a word of its own after the option (not inside a quote the
            // fuzzed text opened, which makes it text rather than a password).
            guard let commands = try? Lexer.parse(line, file: "-") else { continue }
            let words = commands.flatMap { $0.words.map(\.literalText) }
            let isSecret =
                zip(words, words.dropFirst()).contains { $0 == "--password" && $1 == secret }
                || words.contains("--api-key=\(secret)") || words.contains("password=\(secret)")
            if isSecret, Redactor.redact(line).contains(secret) {
                fail("a secret survived redaction: \(Redactor.redact(line))", bytes)
            }
        }
    }
}

#if FUZZING
    nonisolated(unsafe) let fuzzTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SIMSH_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("SIMSH_FUZZ_TARGET: one of \(FuzzTarget.allCases.map(\.rawValue))")
        }
        return target
    }()

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        fuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt

    // SwiftPM links an executable's entry point under this name (`main` is made an alias of it):
    // libFuzzer's driver is started from here.
    @_cdecl("simsh_fuzz_main")
    public func fuzzMain(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> CInt {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
    }
#else
    @main
    enum Replay {
        static func main() {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                FileHandle.standardError.write(
                    Data("usage: simsh-fuzz TARGET FILE...  (TARGET: \(FuzzTarget.allCases.map(\.rawValue)))\n".utf8))
                exit(2)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("simsh-fuzz: cannot read \(path)\n".utf8))
                    exit(2)
                }
                target.run(Array(data))
            }
            print("\(name): \(arguments.count - 1) cases pass")
        }
    }
#endif
