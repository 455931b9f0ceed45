import LineEditor
import Testing

/// What Tab inserts: the text every candidate shares (the terminal itself is driven by the tmux
/// suite in SimshTests).
@Suite struct CompletionPrefixTests {
    @Test(arguments: [
        (["users", "user", "uses"], "use"),
        (["profile", "profiles"], "profile"),
        (["ping"], "ping"),
        (["a", "b"], ""),
        ([], ""),
        (["سلام", "سلامت"], "سلام"),
    ])
    func commonPrefix(_ candidates: [String], _ shared: String) {
        #expect(Completion(word: "", candidates: candidates).commonPrefix == shared)
    }
}
