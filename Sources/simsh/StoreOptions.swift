import ArgumentParser
import SimshRuntime

/// `--store PATH|URL` and `--no-store`: where the listener stores events and readers (`events
/// search`, `calls`) read them, for this run.
struct StoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The event store: a SQLite file or postgresql://USER@HOST:PORT/DB (default "
                + "$XDG_STATE_HOME/simsh/events.db; also SIMSH_STORE, a profile's store)",
            valueName: "path|url"))
    var store: String?

    @Flag(name: .customLong("no-store"), help: "Store nothing: events are kept in memory (and --log) only")
    var noStore = false

    func validate() throws {
        if noStore && store != nil { throw ValidationError("--store and --no-store cannot be used together") }
    }

    /// What the session is told: the store named, "off", or nil (the environment, a profile or the default decide).
    var choice: String? { noStore ? "off" : store }
}
