import ArgumentParser
import Foundation
import SimshChecks
import SimshCommands
import SimshRuntime

/// How a run connects at start: `--demo`, `-p PROFILE`, else `SIMSH_URL` or the default profile.
struct ConnectionOptions: ParsableArguments {
    @Flag(help: "Start the embedded Simotel simulator and connect to it (profile demo)")
    var demo = false

    @Option(
        name: [.customShort("p"), .long],
        help: ArgumentHelp("Connect to this saved profile at start", valueName: ValueKind.profile),
        completion: .custom { _, _, prefix in ConnectionOptions.profileNames(prefix) })
    var profile: String?

    /// The saved profiles' names (completion of `-p`).
    static func profileNames(_ prefix: String) -> [String] {
        let paths = SimshPaths.resolve(environment: ProcessInfo.processInfo.environment)
        let names = ((try? ProfileStore(path: paths.config).load())?.profiles ?? []).map(\.name)
        return names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    func validate() throws {
        if demo && profile != nil { throw ValidationError("--demo and --profile cannot be used together") }
    }

    var connection: CheckConnection { demo ? .demo : .profile(profile) }
}
