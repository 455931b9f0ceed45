import Foundation
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

@testable import SimshChecks
@testable import SimshCommands
@testable import SimshLanguage
@testable import SimshRuntime

/// A regular expression's match has a bound (issue 21, point 4): ICU's backtracking engine had
/// none (`(a+)+$` on 60 characters took 37 s, `(1|11)*y` on 1,000 over a minute), and neither
/// Ctrl-C nor `simsh test --timeout` stopped it. What stopped a match is told by its outcome (the
/// bound's error, cancellation, the file's timeout), never by how long it took: on a busy machine
/// with two cores a finished task may wait seconds for a thread. A match nothing stopped would run
/// for minutes: the suite's time limit fails it.
@Suite(.timeLimit(.minutes(3))) struct BoundedRegexTests {
    /// Patterns that backtrack for tens of seconds and more on their text.
    static let slow = [
        (pattern: "(a+)+$", text: String(repeating: "a", count: 60) + "b"),
        (pattern: "(1|11)*y", text: String(repeating: "1", count: 1000) + "x"),
    ]

    static func evaluate(_ text: String, _ vars: [String: JSONValue]) throws(ExpressionError) -> JSONValue? {
        try ExpressionEvaluator { vars[$0] }.evaluate(try Expression.parse(text))
    }

    /// Each fails with the bound's error once its 1 s has passed, long before it would end.
    @Test(arguments: [0, 1]) func aBacktrackingMatchEndsAtItsBound(_ index: Int) {
        let (pattern, text) = Self.slow[index]
        let start = ContinuousClock.now
        do {
            let value = try Self.evaluate("$t matches '\(pattern)'", ["t": .string(text)])
            Issue.record("\(pattern) ended with \(String(describing: value))")
        } catch {
            #expect(error.message == "the regular expression took longer than 1 s", "\(pattern)")
            #expect(!error.isCancellation)
        }
        let took = ContinuousClock.now - start
        #expect(took >= .milliseconds(900), "\(pattern): \(took)")
    }

    /// A shorter bound is said as it is.
    @Test func aShorterBoundSaysItsLength() throws {
        let regex = try BoundedRegex(Self.slow[0].pattern)
        #expect(throws: BoundedRegex.Failure.tooLong(.milliseconds(200))) {
            try regex.firstMatch(in: Self.slow[0].text, within: .milliseconds(200))
        }
        #expect(BoundedRegex.text(.milliseconds(200)) == "200 ms")
        #expect(BoundedRegex.text(.seconds(1)) == "1 s")
    }

    /// Runs `cancel` on a Dispatch thread after `delay`.
    static func cancel(after delay: Duration, _ cancel: @escaping @Sendable () -> Void) {
        let ms = Int(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(ms)) { cancel() }
    }

    /// A pattern that saves few states, moved along a long text: seen by ICU's find-progress
    /// callback, not its match callback (~10^9 comparisons here; unbounded, seconds or more).
    @Test func aLongFindEndsAtItsBound() throws {
        let regex = try BoundedRegex(String(repeating: "a", count: 999) + "b")
        let text = String(repeating: "a", count: 1_000_000)
        do {
            let found = try regex.firstMatch(in: text, within: .milliseconds(300))
            // A fast machine may finish within the bound: then it must be right.
            #expect(!found)
        } catch {
            #expect(error == .tooLong(.milliseconds(300)))
        }
    }

    /// Cancelling the task matching (what Ctrl-C and every deadline do) stops the match at once,
    /// however long its own bound.
    @Test func aCancelledTaskStopsItsMatch() async throws {
        let regex = try BoundedRegex(Self.slow[1].pattern)
        let text = Self.slow[1].text
        let task = Task.detached { () -> BoundedRegex.Failure? in
            do {
                _ = try regex.firstMatch(in: text, within: .seconds(300))
                return nil
            } catch let failure as BoundedRegex.Failure {
                return failure
            } catch {
                return nil
            }
        }
        // Cancelled from a thread of Dispatch's, as Ctrl-C's handler does: other tests' matches may
        // hold every thread of Swift's task pool, and a sleeping task could not wake to cancel.
        Self.cancel(after: .milliseconds(200)) { task.cancel() }
        let failure = await task.value
        #expect(failure == .cancelled)
    }

    /// In a script the match past its bound is an evaluation error (exit 2) that stops it.
    @Test func aScriptStopsWithExitStatus2() async {
        let t = TestSession()
        let script = "set t = '\(Self.slow[0].text)'\nexpect $t matches '(a+)+$'\necho never"
        let status = await t.run(script, file: "r.simsh")
        #expect(status == 2)
        #expect(t.sink.standardError.contains("r.simsh:2:"), "\(t.sink.standardError)")
        #expect(
            t.sink.standardError.contains("the regular expression took longer than 1 s"), "\(t.sink.standardError)")
        #expect(!t.sink.standardOutput.contains("never"))
    }

    /// A script cancelled in a match (Ctrl-C) ends as interrupted, not with the bound's error.
    @Test func aCancelledScriptEndsAsInterrupted() async throws {
        let t = TestSession()
        let script = "set t = '\(Self.slow[1].text)'\nexpect $t matches '(1|11)*y'\necho never"
        let run = Task { await t.run(script) }
        Self.cancel(after: .milliseconds(300)) { run.cancel() }
        let status = await run.value
        #expect(status == 130, "\(t.sink.standardError)")
        #expect(t.sink.standardError.contains("interrupted"), "\(t.sink.standardError)")
        #expect(!t.sink.standardError.contains("regular expression"), "\(t.sink.standardError)")
        #expect(!t.sink.standardOutput.contains("never"))
    }

    /// `simsh test --timeout` stops a file in a match: the file times out, its match stopped.
    @Test func aTestTimeoutStopsAMatch() async throws {
        let dir = TempDir()
        let file = dir.file("slow.simsh")
        try "set t = '\(Self.slow[1].text)'\nexpect $t matches '(1|11)*y'\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let result = await Self.runner(dir, file, timeout: 0.3).runCase(file)
        #expect(result.status == 1)
        let messages = result.failures.map(\.message)
        #expect(messages.contains { $0.hasPrefix("timed out after") && $0.hasSuffix("(--timeout)") }, "\(messages)")
        #expect(!messages.contains { $0.contains("regular expression") || $0 == "interrupted" }, "\(messages)")

        // With a longer timeout, the match's own bound comes first.
        let bounded = await Self.runner(dir, file, timeout: 60).runCase(file)
        #expect(bounded.status == 2)
        #expect(bounded.failures.map(\.message) == ["the regular expression took longer than 1 s"])
    }

    static func runner(_ dir: TempDir, _ file: String, timeout: Double) -> CheckRunner {
        let paths = SimshPaths(config: dir.file("config/config.toml"), history: dir.file("state/history"))
        return CheckRunner(
            files: [file], jobs: 1, options: .defaults, connection: .profile(nil), environment: [:], paths: paths,
            timeout: timeout)
    }

    /// Ordinary matches are what they were with NSRegularExpression (ICU's syntax both): anchors,
    /// `.` and `\d` over non-ASCII text, `$` before a final newline, flags, escapes.
    @Test func ordinaryMatchesAreUnchanged() throws {
        let cases: [(String, String, Bool)] = [
            ("^ANS", "ANSWERED", true), ("^NS", "ANSWERED", false), ("ED$", "ANSWERED", true),
            ("^09[0-9]+$", "09121234567", true), ("^09[0-9]+$", "0912x", false), ("^سلام.$", "سلام!", true),
            ("^a.b$", "a👍b", true), ("^\\d+$", "۱۲۳", true), ("a$", "a\n", true), ("^a$", "a\nb", false),
            ("\\bword\\b", "a word here", true), ("\\bword\\b", "swordfish", false),
            ("(?i)^answered$", "ANSWERED", true),
            ("Exit\\('go-s2'\\);?$", "Exit('go-s2');", true), ("^$", "", true), ("x", "", false),
            ("ANSW.*", "NO ANSWER", true), ("^[^@]+@[^@]+$", "a@b", true),
        ]
        for (pattern, text, expected) in cases {
            let ns = try NSRegularExpression(pattern: pattern)
            let before = ns.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(before == expected, "NSRegularExpression: \(pattern) on \(text)")
            #expect(try BoundedRegex.compiled(pattern).firstMatch(in: text) == expected, "\(pattern) on \(text)")
        }
        #expect(try Self.evaluate("$s matches '^ANS'", ["s": .string("ANSWERED")]) == .bool(true))
        #expect(try Self.evaluate("$n matches '^1[0-9]{2}$'", ["n": .number(101)]) == .bool(true))
        #expect(try Self.evaluate("$s matches ''", ["s": .string("x")]) == .bool(true))
        #expect(try BoundedRegex("").firstMatch(in: "x"))
    }

    /// One compiled expression matched from many tasks at once: each match on a clone of its own.
    @Test func oneExpressionMatchesFromManyTasksAtOnce() async throws {
        let regex = try BoundedRegex.compiled("^a+b$")
        let wrong = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for i in 0..<200 {
                        let text = String(repeating: "a", count: 1 + (i + worker) % 50) + (i % 2 == 0 ? "b" : "c")
                        if (try? regex.firstMatch(in: text)) != (i % 2 == 0) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    /// A pattern that does not compile is the same clear error as before, at parse time when it
    /// is written in the expression, else when it is matched.
    @Test func anInvalidPatternIsAClearError() async {
        do {
            _ = try Self.evaluate("$s matches $p", ["s": .string("a"), "p": .string("(a")])
            Issue.record("(a compiled")
        } catch {
            #expect(error.message == "not a valid regular expression: (a")
        }
        #expect(throws: BoundedRegex.Failure.invalid("U_REGEX_MISMATCHED_PAREN")) { try BoundedRegex("(a") }

        let t = TestSession()
        #expect(await t.run("echo ran\nexpect 'a' matches '(a'") == 2)
        #expect(!t.sink.standardOutput.contains("ran"))
        #expect(t.sink.standardError.contains("not a valid regular expression: (a"), "\(t.sink.standardError)")
    }
}

/// A rule past its deadline is answered at once, but stays counted against the 64-at-once cap
/// until its work has really ended: a cancelled computation still running holds its place (a
/// match in C that ignored cancellation once went on using a thread while new ones started).
@Suite struct ComputingCapTests {
    @Test func aLateRuleHoldsItsPlaceUntilItsWorkEnds() async throws {
        let gate = Gate()
        let started = Counter()
        let warnings = Counter()
        let listener = WebhookListener(configuration: ListenerConfiguration())
        listener.componentAnswer = { _ in
            .compute(rule: "stuck", within: .milliseconds(20)) {
                started.add()
                await gate.wait()  // ignores cancellation
                return nil
            }
        }
        listener.onWarning = { text in if text.contains("being computed at once") { warnings.add() } }
        try await listener.start()
        let body = Array(#"{"src":"1","dst":"2","data":"","unique_id":"u","app_name":"stuck"}"#.utf8)
        func send() async throws -> Int {
            try await TestHTTP.send(listener.url, headers: ListenerProbeTests.json, body: body)
        }
        for _ in 0..<64 { #expect(try await send() == 200) }
        let until = ContinuousClock.now + .seconds(30)
        while started.value < 64, ContinuousClock.now < until { try await Task.sleep(for: .milliseconds(10)) }
        #expect(started.value == 64)
        #expect(warnings.value == 0)

        // All 64 answered and cancelled, none ended: the next one is refused, not started.
        #expect(try await send() == 200)
        #expect(warnings.value == 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(started.value == 64)

        // Once they have ended, their places are free again.
        gate.open()
        while started.value == 64, ContinuousClock.now < until {
            #expect(try await send() == 200)
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(started.value > 64)
        await listener.stop()
    }
}

/// Holds every waiter until opened; waiting ignores cancellation.
/// Sendable: `isOpen` and `waiting` are read and written only under `lock`.
private final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if isOpen { return true }
                waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func open() {
        let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            isOpen = true
            defer { waiting = [] }
            return waiting
        }
        for c in waiters { c.resume() }
    }
}

/// Sendable: `count` is read and written only under `lock`.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
