import CICU
import Synchronization

/// A regular expression in ICU's syntax (the one `NSRegularExpression` takes) whose every match
/// has a bound. ICU's backtracking engine has none of its own: `(a+)+$` on 60 characters took
/// 37 s, and a thread left spinning is no bound. Here ICU calls back every few thousand steps of
/// a match (about every 0.2 ms, at most ~6 ms apart, measured with `(a+)+$` on this machine), and
/// the match stops there once its bound has passed or its task is cancelled (Ctrl-C, a rule's
/// `--within`, `simsh test --timeout`).
///
/// Sendable: the compiled expression is never matched itself, only cloned — ICU lets several
/// threads clone one compiled expression at once; each match works on a clone of its own — and
/// it is closed once, when the last reference goes.
final class BoundedRegex: @unchecked Sendable {
    /// The longest one match may take.
    static let bound: Duration = .seconds(1)

    enum Failure: Error, Sendable, Equatable {
        /// The pattern does not compile: ICU's reason (`U_REGEX_MISMATCHED_PAREN`).
        case invalid(String)
        /// The match took longer than its bound.
        case tooLong(Duration)
        /// The task matching was cancelled.
        case cancelled
        /// ICU could not match otherwise (`U_REGEX_STACK_OVERFLOW`, out of memory).
        case failed(String)
        /// ICU could not be loaded: why, in words.
        case unavailable(String)
    }

    let pattern: String
    private let compiled: OpaquePointer

    init(_ pattern: String) throws(Failure) {
        self.pattern = pattern
        // ICU refuses an empty pattern; an empty group matches as it would. NUL-terminated, so
        // that the buffer has an address whatever the pattern.
        let units = Array((pattern.isEmpty ? "(?:)" : pattern).utf16) + [0]
        guard units.count <= Int(Int32.max) else { throw .invalid("U_REGEX_PATTERN_TOO_BIG") }
        var status: Int32 = 0
        let re = units.withUnsafeBufferPointer { simsh_regex_open($0.baseAddress, Int32($0.count - 1), &status) }
        guard let re else {
            if status == simsh_regex_unavailable() { throw .unavailable(Self.name(status)) }
            throw .invalid(Self.name(status))
        }
        compiled = re
    }

    deinit { simsh_regex_close(compiled) }

    /// Whether the pattern matches anywhere in `text`, stopping at `bound` (or when the task is
    /// cancelled) with an error.
    func firstMatch(in text: String, within bound: Duration = BoundedRegex.bound) throws(Failure) -> Bool {
        let units = Array(text.utf16) + [0]
        guard units.count <= Int(Int32.max) else { throw .failed("U_INDEX_OUTOFBOUNDS_ERROR") }
        let watch = MatchWatch(bound: bound)
        var status: Int32 = 0
        // ICU keeps pointers to the text and to the watch while it matches: both stay in place
        // until the call returns.
        let found = units.withUnsafeBufferPointer { text -> Bool in
            withExtendedLifetime(watch) {
                simsh_regex_find(
                    compiled, text.baseAddress, Int32(text.count - 1),
                    { context, _ in
                        guard let context else { return 1 }
                        return Unmanaged<MatchWatch>.fromOpaque(context).takeUnretainedValue().keepGoing() ? 1 : 0
                    }, Unmanaged.passUnretained(watch).toOpaque(), &status) != 0
            }
        }
        if let stopped = watch.stopped, status == simsh_regex_stopped() { throw stopped }
        guard simsh_regex_failed(status) == 0 else { throw .failed(Self.name(status)) }
        return found
    }

    static func name(_ status: Int32) -> String {
        guard let name = simsh_regex_error_name(status) else { return "ICU error \(status)" }
        return String(cString: name)
    }

    /// Compiled expressions by pattern, so that a loop's or a rule's pattern compiles once.
    private static let cache = Mutex([String: BoundedRegex]())
    static let cacheLimit = 256
    /// Longer patterns (built from a request's data, say) are compiled each time, not kept.
    static let cachedPatternLimit = 1024

    /// The pattern compiled, from the cache when it was compiled before.
    static func compiled(_ pattern: String) throws(Failure) -> BoundedRegex {
        let keep = pattern.utf8.count <= cachedPatternLimit
        if keep, let hit = cache.withLock({ $0[pattern] }) { return hit }
        let regex = try BoundedRegex(pattern)
        if keep {
            cache.withLock { cache in
                if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[pattern] = regex
            }
        }
        return regex
    }

    /// `1 s`, `200 ms`: a bound as a message says it.
    static func text(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}

/// What ICU's callback checks, on the matching thread alone: the match's deadline and its
/// task's cancellation (the callback runs synchronously inside the task that matches).
private final class MatchWatch {
    let bound: Duration
    let deadline: ContinuousClock.Instant
    /// Why the match was stopped, once it was.
    var stopped: BoundedRegex.Failure?

    init(bound: Duration) {
        self.bound = bound
        deadline = .now + bound
    }

    func keepGoing() -> Bool {
        if Task.isCancelled {
            stopped = .cancelled
        } else if ContinuousClock.now >= deadline {
            stopped = .tooLong(bound)
        }
        return stopped == nil
    }
}
