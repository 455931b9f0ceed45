/// The words the script language gives meaning to. The statements' declarations (for help,
/// completion and the man pages) take their names from here; the parser reads them here.
public enum Keyword {
    public static let `if` = "if"
    public static let elif = "elif"
    public static let `else` = "else"
    public static let end = "end"
    public static let `repeat` = "repeat"
    public static let retry = "retry"
    public static let every = "every"
    public static let expect = "expect"
    public static let set = "set"
    /// `expect call ID reaches EVENT …` and `expect events A -> B for ID …`.
    public static let call = "call"
    public static let events = "events"
}
