import Foundation

/// The files of design.md's contract, resolved from the environment.
public struct SimshPaths: Sendable, Equatable {
    public var config: String
    public var history: String
    /// The default event store (`--store`, `SIMSH_STORE` and a profile's `store` name another).
    public var store: String

    /// `store` defaults to `events.db` beside the history.
    public init(config: String, history: String, store: String? = nil) {
        self.config = config
        self.history = history
        self.store = store ?? ((history as NSString).deletingLastPathComponent + "/events.db")
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
        // The store is state, beside the default history (not beside SIMSH_HISTFILE's file).
        let store = nonEmpty("XDG_STATE_HOME").map { $0 + "/simsh/events.db" } ?? home + "/.local/state/simsh/events.db"
        return SimshPaths(config: config, history: history, store: store)
    }
}
