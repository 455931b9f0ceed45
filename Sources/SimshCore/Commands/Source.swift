import ArgumentParser
import Foundation

struct Source: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Run the commands of a script file in this session",
        discussion: "A relative path is looked up beside the running script first, then in the current directory.")

    @Argument(help: ArgumentHelp("The .simsh file", valueName: "file"), completion: .file(extensions: ["simsh"]))
    var file: String

    func run(in session: Session) async throws {
        guard let interpreter = session.interpreter else { throw SimshError.usage("source: no interpreter") }
        var path = file
        if !file.hasPrefix("/"), let current = session.sourceStack.last {
            let beside = URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(file).path
            if FileManager.default.fileExists(atPath: beside) { path = beside }
        }
        try await interpreter.runFile(path)
    }
}
