import ArgumentParser
import Foundation
import SimshRuntime

struct ProfileList: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List saved profiles")

    func run(in session: Session) async throws {
        let contents = try session.profiles.load()
        guard !contents.profiles.isEmpty else {
            session.output.line("no profiles saved (connect URL --save NAME, or profile save NAME)")
            return
        }
        let width = contents.profiles.map(\.name.count).max() ?? 0
        for p in contents.profiles {
            let mark = p.name == contents.defaultProfile ? "*" : " "
            let current = session.active?.name == p.name ? " (connected)" : ""
            let auth = p.auth?.rawValue ?? "auto"
            session.output.line(
                "\(mark) \(p.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(p.url)  auth \(auth)\(current)"
            )
        }
    }
}

extension ProfileList: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "The saved profiles:",
            "simsh> profile list")
    ]
}
