import Foundation
import SimshTesting
import Testing

/// Issue 22, point 6: the manifest says what the code needs. Every target declares each module
/// it imports (a target or a product) and declares nothing it does not import; the toolchain's
/// own modules (Foundation, Glibc, Synchronization, Testing, …) need no declaration.
@Suite struct ManifestTests {
    static let toolchainModules: Set<String> = [
        "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc", "Musl",
        "Darwin", "Synchronization", "Testing", "XCTest", "_Concurrency", "Observation", "RegexBuilder",
        "PackageDescription",
    ]

    /// The manifest as SwiftPM reads it (in a scratch folder of its own: the test run holds the
    /// lock of `.build`).
    static func manifest() throws -> [String: Any] {
        let scratch = TempDir()
        let swift = try ChildProcess(
            "swift", ["package", "--package-path", packageRoot, "--scratch-path", scratch.path, "dump-package"])
        let status = swift.wait(timeout: 120)
        guard status == 0, let json = try JSONSerialization.jsonObject(with: Data(swift.stdout.utf8)) as? [String: Any]
        else { throw SpawnError(message: "swift package dump-package: \(status) \(swift.stderr)") }
        return json
    }

    /// The modules a folder's Swift files import.
    static func imports(under dir: String) -> Set<String> {
        var found = Set<String>()
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return found }
        let pattern =
            #/^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)/#
        for case let file as String in walker where file.hasSuffix(".swift") {
            guard let text = try? String(contentsOfFile: dir + "/" + file, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                if let m = line.firstMatch(of: pattern) { found.insert(String(m.1)) }
            }
        }
        return found
    }

    @Test func everyTargetDeclaresWhatItImportsAndNothingElse() throws {
        let targets = try #require(try Self.manifest()["targets"] as? [[String: Any]])
        #expect(!targets.isEmpty)
        for target in targets {
            let name = try #require(target["name"] as? String)
            let type = target["type"] as? String ?? ""
            guard type != "system" else { continue }
            let path = target["path"] as? String ?? (type == "test" ? "Tests/" : "Sources/") + name
            var declared = Set<String>()
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                for kind in ["byName", "target", "product"] {
                    if let first = (dependency[kind] as? [Any])?.first as? String { declared.insert(first) }
                }
            }
            let imported = Self.imports(under: packageRoot + "/" + path).subtracting(Self.toolchainModules)
            // A C target imports no Swift module; its own name is not a dependency.
            let undeclared = imported.subtracting(declared).subtracting([name])
            let unused = declared.subtracting(imported)
            #expect(undeclared.isEmpty, "\(name) imports \(undeclared.sorted()) without declaring them")
            #expect(unused.isEmpty, "\(name) declares \(unused.sorted()) and never imports them")
        }
    }
}
