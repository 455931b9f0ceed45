import ArgumentParser
import Foundation
import SimshLanguage
import SimshRuntime

struct Source: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Run the commands of a script file in this session",
        discussion: "A relative path is looked up beside the running script first, then in the current directory."
    )

    @Argument(help: ArgumentHelp("The .simsh file", valueName: "file"), completion: .file(extensions: ["simsh"]))
    var file: String

    func run(in session: Session) async throws {
        guard let interpreter = session.interpreter else { throw SimshError.usage("source: no interpreter") }
        try await interpreter.runFile(session.pathBesideScript(file))
    }
}

extension Session {
    /// A relative path beside the running script when a file is there, else as given.
    func pathBesideScript(_ file: String) -> String {
        if !file.hasPrefix("/"), let current = sourceStack.last {
            let beside = URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(file).path
            if FileManager.default.fileExists(atPath: beside) { return beside }
        }
        return file
    }
}

extension Source: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Run another script in this session:",
            "source setup.simsh")
    ]
}
