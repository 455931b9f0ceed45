import ArgumentParser
import SimshLanguage
import SimshRuntime

/// A command of the shell and of scripts: declared with swift-argument-parser (which gives
/// parsing, `--help`, `help CMD` and the man pages) and run against the session.
public protocol ShellCommand: ParsableCommand, Sendable {
    func run(in session: Session) async throws
    /// False for a command whose words go nowhere but the screen (`echo`): a masked secret in
    /// them is harmless. Commands that send or save their words refuse a mask (the default).
    static var sendsWords: Bool { get }
}

extension ShellCommand {
    public static var sendsWords: Bool { true }

    /// Shell commands run through `run(in:)`; argument-parser's synchronous entry is not used.
    public func run() throws {
        throw SimshError.usage("\(Self.declaredName) runs inside simsh")
    }
}

/// A statement of the script language (`expect`, `if`, `repeat`, `retry`): declared here for
/// help, completion and the man pages, run by the interpreter from the script's text.
public protocol ScriptStatement: ShellCommand {}

extension ScriptStatement {
    public func run(in session: Session) async throws {
        throw SimshError.usage(
            "\(Self.declaredName) is a statement of scripts and the shell; run it in a script, with -c or in the shell")
    }
}

/// A command that only groups subcommands (`profile`): running it alone shows its help.
public protocol CommandGroup: ShellCommand {}

extension CommandGroup {
    public func run(in session: Session) async throws {
        session.output.line(ShellRoot.helpMessage(for: Self.self).trimmingCharacters(in: .newlines))
    }
}
