import ArgumentParser
import SimshLanguage
import SimshRuntime

struct Exit: ShellCommand {
    static let configuration = CommandConfiguration(commandName: "exit", abstract: "Leave the shell or end the script")

    @Argument(help: ArgumentHelp("Exit status, 0 to 255 (default 0)", valueName: "status"))
    var status: Int32 = 0

    func validate() throws {
        guard (0...255).contains(status) else { throw ValidationError("status must be 0 to 255") }
    }

    func run(in session: Session) async throws {
        throw ExitRequest(status: status)
    }
}

extension Exit: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "End a script with a status:",
            "if $response.success != 1",
            "  exit 4",
            "end")
    ]
}
