import ArgumentParser
import Foundation
import SimshCommands
import SimshLanguage
import SimshRuntime

/// `simsh test`: `.simsh` files as test cases, with reports for CI.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run .simsh files as test cases and report (JUnit, TAP, HTML)",
        discussion: """
            Each file is one test case run in a session of its own (own variables, own listener; with \
            --demo its own simulator). Prints FILE: RUNNING, then FILE: SUCCESS (123 ms) or FILE: FAILURE \
            with the failing line's message, then a summary that ends with the files that failed. \
            Directories are searched for .simsh check files; the helpers beside them are not run: a file \
            whose name starts with _ or that is under a directory whose name starts with _ (what source \
            includes), and the rule scripts that an answer ... --script FILE line of another file names. \
            A file named on the command line runs even when it is a helper. --exclude GLOB (repeatable) \
            leaves out the files whose path (relative to the directory given), name, or directory matches \
            GLOB. \
            Exit status 0 when every file passed, 1 when any failed, 2 for a usage error of simsh test itself. \
            Example: simsh test checks/ --demo --jobs 2 --exclude 'slow/*' --report-junit out.xml \
            --report-tap out.tap --report-html report/
            """)

    @Argument(help: ArgumentHelp("Files and directories of .simsh files", valueName: "path"), completion: .file())
    var paths: [String] = []

    @Option(help: ArgumentHelp("How many files run at once", valueName: "n"))
    var jobs = 1

    @Option(help: ArgumentHelp("Only files whose path contains TEXT", valueName: "text"))
    var filter: String?

    @Option(
        help: ArgumentHelp(
            "Leave out files whose path (relative to the directory given), name or directory matches GLOB; repeatable",
            valueName: "glob"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("The longest one file may run (e.g. 2m); past it the file fails", valueName: "duration"))
    var timeout: DurationArgument?

    @OptionGroup var connecting: ConnectionOptions

    @OptionGroup var scripting: ScriptOptions

    @Option(
        name: .customLong("report-junit"), help: ArgumentHelp("Write a JUnit XML report", valueName: "file"),
        completion: .file())
    var junit: String?

    @Option(
        name: .customLong("report-tap"), help: ArgumentHelp("Write a TAP 13 report", valueName: "file"),
        completion: .file())
    var tap: String?

    @Option(
        name: .customLong("report-html"),
        help: ArgumentHelp("Write an HTML report (index.html) into DIR", valueName: "dir"),
        completion: .directory)
    var html: String?

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
    }
}
