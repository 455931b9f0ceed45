import Foundation
import SimotelKit
import SimotelSimulator
import SimshTesting

@testable import SimshCommands
@testable import SimshRuntime

/// A session writing into a buffer, with its files in a temporary directory.
struct TestSession {
    let session: Session
    let sink: BufferSink
    let interpreter: Interpreter
    let dir: TempDir

    init(environment: [String: String] = [:]) {
        dir = TempDir()
        sink = BufferSink()
        let paths = SimshPaths(config: dir.file("config/config.toml"), history: dir.file("state/history"))
        session = Session(
            output: Output(sink: sink), commands: Builtins(), environment: environment, paths: paths)
        interpreter = Interpreter(session: session)
    }

    func run(_ script: String, file: String = "test.simsh") async -> Int32 {
        await interpreter.runScript(script, file: file)
    }
}

/// Replaces what changes from run to run (ports, timings, random demo users).
func normalize(_ text: String) -> String {
    var s = text
    let rules: [(String, String)] = [
        (#"127\.0\.0\.1:\d+"#, "127.0.0.1:PORT"),
        (#"\d+(\.\d+)? ms"#, "N ms"),
        (#""time_ms":[0-9.e-]+"#, #""time_ms":N"#),
        (#"demo-[A-Za-z0-9]{6}"#, "demo-USER"),
        (#"/tmp/simsh-test-[A-Za-z0-9-]+"#, "TMP"),
        (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, "TIMESTAMP"),
        (#"\b\d\d:\d\d:\d\d\.\d\d\d\b"#, "HH:MM:SS.mmm"),
        // What depends on time and load: the listener's uptime, the memory its events take.
        (#"(?m)^uptime( +)\d+ s$"#, "uptime$1N s"),
        (#"(?m)^(kept +\d+ events), [0-9.]+ (bytes|KiB|MiB)$"#, "$1, SIZE"),
        // The event store's numbers: an API request's record and the events it causes are stored
        // in either order; its size.
        (#"(?<=[\[ ]#)\d+\b"#, "N"), (#"("seq": ?)\d+"#, "$1N"),
        (#"(?m)^(store +.*), \d+ records?, [0-9.]+ (bytes|KiB|MiB)$"#, "$1, N records, SIZE"),
        (#"\b\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?(?=")"#, "DATETIME"),
    ]
    for (pattern, template) in rules {
        let re = try! NSRegularExpression(pattern: pattern)
        s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
    }
    // Ids made from the time of the run: originate ids, call unique ids, stored file names.
    let nowEpoch = Date().timeIntervalSince1970
    func recent(_ text: Substring) -> Bool { Double(text).map { abs($0 - nowEpoch) < 86_400 } ?? false }
    for (pattern, name) in [
        (#"orig\.call\.(\d{10})\.\d+"#, "ORIG_ID"), (#"(?<![0-9])(\d{10})\.\d+(?![0-9])"#, "UNIQUE_ID"),
        (#""(\d{10})\d{3}""#, "\"EPOCH_MS\""),  // extended-JSON dates ($numberLong, milliseconds)
    ] {
        let re = try! NSRegularExpression(pattern: pattern)
        for m in re.matches(in: s, range: NSRange(s.startIndex..., in: s)).reversed() {
            let whole = Range(m.range, in: s)!
            let epoch = Range(m.range(at: 1), in: s)!
            if recent(s[epoch]) { s.replaceSubrange(whole, with: name) }
        }
    }
    for (pattern, template) in [(#"file-\d{14}-\d{5}-"#, "file-STAMP-"), (#"(?<![0-9])\d{8}_UNIQUE_ID"#, "RECORD")] {
        let re = try! NSRegularExpression(pattern: pattern)
        s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
    }
    // ObjectIds made now (their first 8 hex digits are the time); the documentation's sample ids stay.
    let ids = try! NSRegularExpression(pattern: #"\b[0-9a-f]{24}\b"#)
    let now = Date().timeIntervalSince1970
    for m in ids.matches(in: s, range: NSRange(s.startIndex..., in: s)).reversed() {
        let r = Range(m.range, in: s)!
        if let t = UInt32(s[r].prefix(8), radix: 16), abs(Double(t) - now) < 86_400 {
            s.replaceSubrange(r, with: "OBJECTID")
        }
    }
    return s
}
