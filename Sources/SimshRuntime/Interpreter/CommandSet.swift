/// What words name and how it runs: the command layer's answer (`SimshCommands.Builtins`). The
/// runtime knows words, sessions and statements; which commands exist is not its business.
public protocol CommandSet: Sendable {
    /// Parses the words with the declaration they name and runs it against the session.
    nonisolated(nonsending) func run(_ words: [String], in session: Session) async throws
    /// True when what the words name only shows them (`echo`): a masked secret in them is harmless.
    func onlyShows(_ words: [String]) -> Bool
}
