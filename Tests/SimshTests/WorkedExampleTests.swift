import Foundation
import SimshTesting
import Testing

@testable import SimshRuntime

/// The worked example of simsh-script(5) (`examples/check-pbx.simsh`): it passes against the
/// simulator, and changing any one of its expectations makes it fail at that line with exit 1.
@Suite struct WorkedExampleTests {
    static let path = packageRoot + "/examples/check-pbx.simsh"

    static func run(_ script: String) async throws -> (status: Int32, errors: String) {
        let t = TestSession()
        try await t.session.startDemo()
        let status = await t.interpreter.runScript(script, file: "check-pbx.simsh")
        await t.session.close()
        return (status, t.sink.standardError)
    }

    /// The same check, turned around.
    static func changed(_ line: String) -> String {
        let check = line.dropFirst("expect ".count)
        switch check {
        case "success": return "expect $response.success == 0"
        case let c where c.hasPrefix("event "):
            return "expect event Cdr --where src=no-such-caller within 200ms"
        default: return "expect not (\(check))"
        }
    }

    @Test func passesAndEveryChangedExpectationFailsAtItsLine() async throws {
        let script = try String(contentsOfFile: Self.path, encoding: .utf8)
        let passing = try await Self.run(script)
        #expect(passing.status == 0, "\(passing.errors)")
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let expectations = lines.indices.filter { lines[$0].hasPrefix("expect ") }
        #expect(expectations.count >= 8)
        for index in expectations {
            var mutated = lines
            mutated[index] = Self.changed(lines[index])
            let r = try await Self.run(mutated.joined(separator: "\n"))
            #expect(r.status == 1, "line \(index + 1): \(mutated[index]) → \(r.status) \(r.errors)")
            #expect(
                r.errors.hasPrefix("check-pbx.simsh:\(index + 1):8: expect failed: "), "line \(index + 1): \(r.errors)")
        }
    }

    @Test func theManPageShowsTheExampleAsItIs() throws {
        let script = try String(contentsOfFile: Self.path, encoding: .utf8)
        let page = try String(contentsOfFile: packageRoot + "/man/simsh-script.5", encoding: .utf8)
        for line in script.split(separator: "\n") where !line.hasPrefix("#") {
            // mdoc escapes: a backslash is written \e.
            #expect(page.contains(line.replacingOccurrences(of: "\\", with: "\\e")), "simsh-script(5) lacks: \(line)")
        }
    }
}
