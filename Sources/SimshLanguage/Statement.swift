import SimotelKit

/// A script as it runs: commands, checks and blocks. Built from the lexer's commands before
/// anything runs, so an unclosed block or a malformed expression stops the script at once.
public indirect enum Statement: Sendable {
    /// A command, run by its declaration (`users add …`, `wait event Ping`).
    case command(ParsedCommand)
    /// `expect …`.
    case expect(ParsedCommand, ExpectForm)
    /// `set NAME = EXPR`.
    case assign(ParsedCommand, name: String, Expression)
    /// `if EXPR … elif EXPR … else … end`.
    case conditional([Branch])
    /// `repeat N … end`.
    case repeatBlock(ParsedCommand, count: Expression, body: [Statement])
    /// `retry N every DURATION … end`.
    case retryBlock(ParsedCommand, count: Expression, every: Word, body: [Statement])

    public struct Branch: Sendable {
        public var header: ParsedCommand
        /// Nil for `else`.
        public var condition: Expression?
        public var body: [Statement]
    }

    public enum ExpectForm: Sendable {
        /// `expect EXPR`.
        case expression(Expression, offset: Int)
        /// `expect success`: Simotel's `success` is 1.
        case success
        /// `expect status N`: the HTTP status.
        case status(Word)
        /// `expect fail [STATUS]`: the next command fails (with that exit or HTTP status).
        case fail(Word?)
        /// `expect event NAME [--where F=V]… within DURATION`: the words after `event`.
        case event([Word])
        /// `expect call ID reaches EVENT [--where F=V]… within DURATION`: the call's id, the
        /// event's name, the words of its conditions and the duration.
        case call(id: Word, event: Word, options: [Word], within: Word)
        /// `expect events NAME -> NAME [-> NAME…] for ID within DURATION`: the names in order,
        /// the call's id and the duration.
        case sequence(names: [Word], id: Word, within: Word)
    }

    /// Where it starts.
    public var location: SourceLocation {
        switch self {
        case .command(let c), .expect(let c, _), .assign(let c, _, _), .repeatBlock(let c, _, _),
            .retryBlock(let c, _, _, _):
            return c.location
        case .conditional(let branches): return branches[0].header.location
        }
    }
}

extension ParsedCommand {
    /// The source line with a caret under `length` characters from `offset` of `raw`.
    package func snippet(offset: Int, length: Int) -> SimshError.Snippet {
        let at = location(atOffset: offset)
        let line = at.line == location.line ? sourceLine : String(raw.split(separator: "\n")[at.line - location.line])
        let available = max(1, line.count - (at.column - 1))
        return SimshError.Snippet(line: line, column: at.column, length: min(max(1, length), available))
    }
}
