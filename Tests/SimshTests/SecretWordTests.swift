import Foundation
import SimshTesting
import Testing

@testable import SimshLanguage
@testable import SimshRuntime

/// Secrets in the forms the review found unmasked: a URL whose query holds `=`, and a word that
/// mixes a secret with a variable.
@Suite struct SecretWordTests {
    @Test(arguments: [
        (#"connect "https://admin:Pa55w0rd@pbx.example.com/?x=1""#, "Pa55w0rd"),
        (#"connect https://pbx.example.com/hook?token=abcd1234&page=2"#, "abcd1234"),
        (#"connect "https://admin:Pa55w0rd@$HOST""#, "Pa55w0rd"),
        (#"connect http://h --password "Pa55w0rd$SUFFIX""#, "Pa55w0rd"),
        (#"echo "password=Pa55w0rd$X""#, "Pa55w0rd"),
    ])
    func theHistoryHoldsNoSecret(_ line: String, _ secret: String) throws {
        let stored = try #require(HistoryStore.entry(for: line))
        #expect(!stored.contains(secret), "\(stored)")
        #expect(stored.contains("****"), "\(stored)")
        // The masked line is never sent as if it held the secret.
        let words = try #require(try Lexer.parse(stored, file: "-").first).words.map {
            (try? $0.expanded { _ in "" }) ?? ""
        }
        #expect(Redactor.maskedSecret(in: words) != nil, "\(words)")
    }

    @Test func aVariableAloneStaysAsTyped() throws {
        #expect(HistoryStore.entry(for: #"connect http://h --password "$PW""#) == #"connect http://h --password "$PW""#)
        #expect(HistoryStore.entry(for: #"connect "https://$USER@$HOST/""#) == #"connect "https://$USER@$HOST/""#)
    }

    /// Recorded, a mixed word with a secret in its text is kept only as a masked comment.
    @Test func aRecordingRefusesAMixedWordWithASecret() async throws {
        let t = TestSession()
        let path = t.dir.file("rec.simsh")
        t.session.recorder = try Recorder(path: path)
        t.session.recordEntry(#"echo "https://admin:Pa55w0rd@$HOST""#, status: 0)
        t.session.recordEntry(#"echo "plain $HOST""#, status: 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("Pa55w0rd"), "\(text)")
        #expect(text.contains("# not recorded"), "\(text)")
        #expect(text.contains(#"echo "plain $HOST""#), "\(text)")
    }
}
