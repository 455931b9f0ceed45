import ArgumentParser
import SimshCore

/// How a run connects at start: `--demo`, `-p PROFILE`, else `SIMSH_URL` or the default profile.
struct ConnectionOptions: ParsableArguments {
    @Flag(help: "Start the embedded Simotel simulator and connect to it (profile demo)")
    var demo = false

    @Option(
        name: [.customShort("p"), .long],
        help: ArgumentHelp("Connect to this saved profile at start", valueName: "profile"))
    var profile: String?

    func validate() throws {
        if demo && profile != nil { throw ValidationError("--demo and --profile cannot be used together") }
    }

    var connection: CheckConnection { demo ? .demo : .profile(profile) }
}
