/// What a variable may be named: `NAME`, `_name`, `a.b` (a path into a typed value).
public enum VariableName {
    /// Letters, digits, `_` and `.`, not starting with a digit or `.`.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return name.allSatisfy { $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// A name without a path (`NAME`, not `a.b`): what `set NAME =`, `secret` and `--set` take.
    public static func isPlain(_ name: String) -> Bool { isValid(name) && !name.contains(".") }

    /// `$call`: `originate` sets it to the call's `originated_call_id` (what `expect call` and
    /// `expect events … for` take). simsh's, but not kept: a script may set it to another call.
    public static let call = "call"

    /// `$response`, `$event`, `$walk` and `$listener` are simsh's own: setting them would be silently ignored.
    public static func refuseReserved(_ name: String) throws {
        let root = name.split(separator: ".").first.map(String.init) ?? name
        if root == "response" || root == "event" {
            throw SimshError.usage("$\(root) is kept by simsh (the last answer or event); choose another name")
        }
        if root == "walk" || root == "listener" {
            throw SimshError.usage(
                "$\(root) is kept by simsh (the last call walked, the session's listener); choose another name")
        }
    }
}
