import Foundation

/// The files of design.md's contract, resolved from the environment.
public struct SimshPaths: Sendable, Equatable {
    public var config: String
    public var history: String

    public init(config: String, history: String) {
        self.config = config
        self.history = history
    }

    /// `$SIMSH_CONFIG`, else `$XDG_CONFIG_HOME/simsh/config.toml`, else `~/.config/simsh/config.toml`;
    /// `$SIMSH_HISTFILE`, else `$XDG_STATE_HOME/simsh/history`, else `~/.local/state/simsh/history`.
    public static func resolve(environment env: [String: String]) -> SimshPaths {
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func nonEmpty(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        let config =
            nonEmpty("SIMSH_CONFIG")
            ?? (nonEmpty("XDG_CONFIG_HOME").map { $0 + "/simsh/config.toml" } ?? home + "/.config/simsh/config.toml")
        let history =
            nonEmpty("SIMSH_HISTFILE")
            ?? (nonEmpty("XDG_STATE_HOME").map { $0 + "/simsh/history" } ?? home + "/.local/state/simsh/history")
        return SimshPaths(config: config, history: history)
    }
}
