import Foundation
import SimshTesting
import Testing

extension SpawningTests {
    /// README's two-minute tour (issue 12, point 6): every command it shows is run here, as shown.
    @Suite struct ReadmeTourTests {
        static func tour() throws -> String {
            let readme = try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
            let start = try #require(readme.range(of: "## A two-minute tour\n"))
            let end =
                readme.range(of: "\n## ", range: start.upperBound..<readme.endIndex)?.lowerBound ?? readme.endIndex
            return String(readme[start.upperBound..<end])
        }

        @Test func everyCommandOfTheTourRuns() throws {
            let tour = try Self.tour()
            let lines = tour.split(separator: "\n").map(String.init)
            // The shell's part, typed after the prompt.
            let typed = lines.filter { $0.hasPrefix("simsh demo> ") }.map { String($0.dropFirst("simsh demo> ".count)) }
            #expect(typed.count >= 5 && typed.contains("ping"))
            #expect(lines.contains("$ ./scripts/simsh --demo"))
            let home = TempDir()
            let shell = try spawnSimsh(["--demo"], stdin: typed.joined(separator: "\n") + "\n", home: home)
            #expect(shell.status == 0, "\(shell.stdout)\n\(shell.stderr)")
            #expect(shell.stdout.contains("ping ok") && shell.stdout.contains("\"Sara\""), "\(shell.stdout)")
            // The check file, then each way the tour runs it.
            let heredoc = try #require(tour.range(of: "cat > check.simsh <<'EOF'\n"))
            let close = try #require(tour.range(of: "\nEOF\n", range: heredoc.upperBound..<tour.endIndex))
            let check = home.file("check.simsh")
            try (String(tour[heredoc.upperBound..<close.lowerBound]) + "\n").write(
                toFile: check, atomically: true, encoding: .utf8)
            let runs = lines.filter { $0.hasPrefix("./scripts/simsh ") && $0.contains("check.simsh") }
            #expect(runs.count == 2)
            for run in runs {
                let words = run.dropFirst("./scripts/simsh ".count).split(separator: "#")[0].split(separator: " ")
                    .map { $0 == "check.simsh" ? check : String($0) }
                let r = try spawnSimsh(words, home: home)
                #expect(r.status == 0, "\(run): \(r.stdout)\n\(r.stderr)")
            }
            // A failed expect ends the run with exit 1 at its line.
            try String(contentsOfFile: check, encoding: .utf8).replacingOccurrences(of: "\"Sara\"", with: "\"Nobody\"")
                .write(toFile: check, atomically: true, encoding: .utf8)
            let failed = try spawnSimsh(["--demo", check], home: home)
            #expect(failed.status == 1 && failed.stderr.contains("check.simsh:5:"), "\(failed.stderr)")
        }

        /// The API section's examples, in the order written (issue 23, point 11): each picks the
        /// record it means (the user just added, not the first row of another answer).
        @Test func theAPIExamplesWorkInTheOrderWritten() throws {
            let readme = try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
            let start = try #require(readme.range(of: "## The whole API v4\n"))
            let end = try #require(readme.range(of: "\n```\n", range: start.upperBound..<readme.endIndex))
            let home = TempDir()
            try Data("RIFF....WAVE".utf8).write(to: URL(fileURLWithPath: home.file("hello.wav")))
            let typed = readme[start.upperBound..<end.lowerBound].split(separator: "\n")
                .filter { $0.hasPrefix("simsh demo> ") }
                .map { line in
                    String(line.dropFirst("simsh demo> ".count).split(separator: " #")[0])
                        .trimmingCharacters(in: .whitespaces)
                        .replacingOccurrences(of: "hello.wav", with: home.file("hello.wav"))
                        .replacingOccurrences(of: "--out call.wav", with: "--out \(home.file("call.wav"))")
                        + (line.contains("users remove") ? " --yes" : "")
                }
            #expect(typed.count >= 10 && typed.contains { $0.hasPrefix("users update _id=$id") })
            let check = ["users search number=104", "expect $response.data.0.name == \"Leyla\""]
            // In the order written; after the update, a check that it changed the user added.
            let script = typed.flatMap { $0.hasPrefix("users update") ? [$0] + check : [$0] }
            let r = try spawnSimsh(["--demo"], stdin: script.joined(separator: "\n") + "\n", home: home, timeout: 60)
            #expect(r.status == 0, "\(script)\n\(r.stdout)\n\(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: home.file("call.wav")), "\(r.stderr)")
        }
    }
}
