import Foundation
import SimshTesting
import Testing

extension SpawningTests {
    /// The interactive side of issue 23 in a real terminal (tmux, 80×24): a refused webhook is a
    /// line above the prompt that leaves the line being typed alone, and Tab completes paths
    /// into `$response` and `simulate event`'s fields.
    @Suite struct ShellWorkflowTests {
        @Test func aRefusedWebhookIsALineAboveThePromptAndTabCompletesValues() async throws {
            let (t, url) = try TmuxSession.demoAt80x24()
            // The --demo banner says where the listener is.
            #expect(t.screen.contains("Listening at \(url)"), "\(t.screen)")

            // Half a line typed, then a request to a path that is no event's.
            try t.type("echo half")
            #expect(try await TestHTTP.send(url + "no/such/path", headers: TestHTTP.json, body: pingBody(1)) == 404)
            #expect(t.waitForText(" rejected POST /no/such/path from 127.0.0.1:"), "\(t.screen)")
            #expect(
                t.waitFor { $0.split(separator: "\n").last?.hasPrefix("simsh demo> echo half") == true }, "\(t.screen)")
            try t.press("Enter")
            #expect(t.waitForPrompt(), "\(t.screen)")
            #expect(t.lines.contains("half"), "\(t.screen)")

            // Tab: a path into the last answer, and an event's documented fields.
            #expect(try t.run("ping"))
            try t.type("expect $response.succ")
            try t.press("Tab")
            #expect(t.waitFor { $0.contains("simsh demo> expect $response.success") }, "\(t.screen)")
            try t.press("C-u")
            try t.type("simulate event NewState exte")
            try t.press("Tab")
            #expect(t.waitFor { $0.contains("simsh demo> simulate event NewState exten=") }, "\(t.screen)")
            try t.press("C-u")
            try t.press("C-d")
            #expect(t.waitForExit() == 0, "\(t.screen)")
        }
    }
}
