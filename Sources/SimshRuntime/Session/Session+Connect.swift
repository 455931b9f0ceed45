import Foundation
import SimotelKit
import SimotelSimulator
import SimotelWebhooks
import SimshLanguage

extension Session {
    /// Connects to a saved profile by name.
    public func connect(profileNamed name: String) async throws {
        guard let profile = try profile(named: name) else { throw unknownProfile(name) }
        await connect(try profile.connection(environment: name == Self.demoName ? [:] : environment), profile: profile)
    }

    /// Pings a connection before it is saved (`connect … --save`), with a client of its own traced
    /// as the session's are; the session's connection stays as it was. Throws what `ping` would:
    /// exit 3 when the server cannot be reached, 4 for an HTTP error or `success` 0.
    public func check(_ connection: SimotelConnection) async throws {
        secrets.add(connection.credentials)
        let client = SimotelClient(connection: connection, logger: logger)
        client.trace = traceHook
        do {
            let result = try await client.ping()
            await client.shutdown()
            try result.response.checked()
        } catch {
            await client.shutdown()
            if error is CancellationError { throw error }
            throw SimshError.from(error, context: "ping failed")
        }
    }

    /// The name of the embedded simulator's profile (`--demo`): never saved, its secrets change every run.
    public static let demoName = "demo"

    /// A saved profile, or the embedded simulator's under `demo` (the one place that knows it).
    public func profile(named name: String) throws -> Profile? {
        if name == Self.demoName, let sim = embeddedSimulator {
            var p = Profile(name: Self.demoName, url: sim.url)
            p.user = sim.configuration.credentials.user
            p.password = sim.configuration.credentials.password
            p.apiKey = sim.configuration.credentials.apiKey
            return p
        }
        return try profiles.profile(named: name)
    }

    /// True when the active connection is the embedded simulator's.
    public var isDemo: Bool { embeddedSimulator != nil && active?.name == Self.demoName }

    /// The connection to make at start-up: `-p NAME`, else `SIMSH_URL`, else the default profile.
    public func connectAtStart(profile: String?) async throws {
        if let profile {
            try await connect(profileNamed: profile)
            return
        }
        if let url = environment["SIMSH_URL"], !url.isEmpty {
            let p = Profile(name: "", url: url)
            await connect(try p.connection(environment: environment), profile: p)
            return
        }
        if let name = try? profiles.load().defaultProfile {
            // A default profile that cannot connect (an unset password_env, say) must not keep
            // the shell from starting: `profile use` and `profile remove` are how to mend it.
            do {
                try await connect(profileNamed: name)
            } catch {
                output.warning(
                    "default profile \(name) not connected: \(SimshError.from(error).message); starting unconnected "
                        + "(profile use NAME or profile remove \(name) to change it)")
            }
        }
    }

    /// Starts the embedded simulator with fresh random credentials and connects a profile
    /// named `demo` to it (not saved: its secrets change every run).
    public func startDemo() async throws {
        let sim = SimotelSimulator(
            configuration: SimulatorConfiguration(credentials: .random(), seedDemo: true), logger: logger)
        do {
            try await sim.start()
        } catch {
            throw SimshError.io("\(error)")
        }
        embeddedSimulator = sim
        try await connect(profileNamed: Self.demoName)
        // The demo's events come to the session's listener, so `ping` shows a Ping event.
        _ = try await startListener(ListenerConfiguration(), display: isInteractive ? .pretty : nil)
    }
}

extension Session {
    /// The error for a profile name that is not saved, listing those that are.
    public func unknownProfile(_ name: String, suggestion: String = "") -> SimshError {
        let known = (try? profiles.load().profiles.map(\.name)) ?? []
        let hint = known.isEmpty ? "no profiles are saved yet" : "saved: " + known.joined(separator: ", ")
        return SimshError.usage("no profile named '\(name)' (\(hint))\(suggestion)")
    }

    /// Saved profile names, plus `demo` when the embedded simulator runs (for completion).
    public func knownProfileNames() -> [String] {
        var names = (try? profiles.load().profiles.map(\.name)) ?? []
        if embeddedSimulator != nil && !names.contains(Self.demoName) { names.append(Self.demoName) }
        return names
    }
}
