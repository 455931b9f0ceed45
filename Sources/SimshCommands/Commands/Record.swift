import ArgumentParser
import SimshLanguage
import SimshRuntime

struct Record: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: Recorder.commandName,
        abstract: "Save the shell's commands from now on as a .simsh script, or stop",
        discussion: """
            record FILE starts (replacing FILE, private to you: mode 0600); record stop ends. Each entry \
            is written as typed, blocks included; a secret is written as a ${NAME} variable (the variable \
            holding it, else a name from its option, field or header, with a comment saying how to give \
            it), never as itself and never as ****, which would be sent as the secret when the script \
            runs: in a URL, http://admin:${PASSWORD}@pbx; in a header, -H "Authorization: Bearer \
            ${AUTHORIZATION}". set NAME VALUE of a secret-looking NAME (password, secret, token, api_key \
            in it) is written as secret NAME, which takes the value when the script runs. An entry \
            whose secret cannot be made a variable is kept only as a masked comment; an entry that \
            failed is kept as a comment; a line typed with a leading space (kept out of the history) \
            is left out. An exploration becomes a check: add expect \
            lines and run it with simsh test. Example: record ~/checks/users.simsh, then users search, \
            users add …, record stop.
            """
    )

    @Argument(
        help: ArgumentHelp("The script to write, or stop", valueName: "file"), completion: .file(extensions: ["simsh"]))
    var file: String

    func run(in session: Session) async throws {
        if file == "stop" {
            guard let recorder = session.recorder else { throw SimshError.usage("record stop: not recording") }
            session.recorder = nil
            session.output.line("recorded to \(recorder.path)")
            return
        }
        guard session.isInteractive else {
            throw SimshError.usage("record works in the interactive shell (a script is already a script)")
        }
        session.recorder = try Recorder(path: file)
        session.output.line("recording to \(file); record stop to end")
    }
}

extension Record: Exemplified {
    static let group = HelpGroup.scripting
    static let examples = [
        CommandExample(
            "Save what is typed from now on as a script:",
            "simsh demo> record check.simsh",
            "simsh demo> ping",
            "simsh demo> record stop")
    ]
}
