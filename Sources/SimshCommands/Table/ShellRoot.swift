import ArgumentParser

/// The root every shell line is parsed against: `ShellRoot.parseAsRoot(words)`.
/// Its name is `simsh`, so usage lines read as they do on the command line.
public struct ShellRoot: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "simsh",
        abstract: "The command-line shell for the Simotel contact center",
        subcommands: CommandTable.builtins)

    public init() {}
}
