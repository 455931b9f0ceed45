import ArgumentParser
import Foundation
import SimotelKit
import SimotelSimulator

/// `simsh simulator`: the Simotel simulator alone, for integrators' own tests.
struct SimulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Run the Simotel simulator (API v4 and event webhooks) until interrupted",
        discussion: """
            Serves Simotel's API v4 as api-v4.md documents it: the auth modes, the documented statuses \
            and messages (401, 404, 405, 415, 400, 501). Without credentials it uses the documentation's \
            sample account: user test, password Aa123456, X-APIKEY \
            vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG. With --events-to it sends the event \
            webhooks (G4: POST JSON) to that URL. It prints the address it listens on; Ctrl-C or SIGTERM \
            stops it.
            """)

    @Option(help: "Address to listen on")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one)")
    var port = 0

    @Option(help: "API account user name")
    var user: String?

    @Option(help: "API account password")
    var password: String?

    @Option(name: .customLong("api-key"), help: "API account key (X-APIKEY)")
    var apiKey: String?

    @Option(help: ArgumentHelp("Which headers the account requires: basic, key or both", valueName: "mode"))
    var auth: AuthMode?

    @Option(
        name: .customLong("ping-method"),
        help: ArgumentHelp("Methods setting/ping/act accepts: put, post or any", valueName: "method"))
    var pingMethod: SimulatorConfiguration.PingMethod = .put

    @Option(name: .customLong("events-to"), help: ArgumentHelp("Send event webhooks to this URL", valueName: "url"))
    var eventsTo: String?

    @Option(help: ArgumentHelp("Start with data: demo (users, a queue, a trunk, call history)", valueName: "name"))
    var seed: String?

    @Flag(help: "Log requests to standard error")
    var verbose = false

    func validate() throws {
        if let seed, seed != "demo" { throw ValidationError("--seed knows only 'demo'") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if (user == nil) != (password == nil) { throw ValidationError("give --user and --password together") }
        if user != nil || apiKey != nil {
            let mode = auth ?? SimotelCredentials.inferredMode(user: user, apiKey: apiKey)
            if mode != .key && user == nil {
                throw ValidationError("--auth \(mode.rawValue) needs --user and --password")
            }
            if mode != .basic && apiKey == nil { throw ValidationError("--auth \(mode.rawValue) needs --api-key") }
        } else if auth != nil {
            throw ValidationError("--auth needs the account's secrets (--user/--password, --api-key)")
        }
        if let eventsTo, SimotelConnection.parseAddress(eventsTo) == nil || !eventsTo.contains("://") {
            throw ValidationError("--events-to must be an http:// or https:// URL")
        }
    }

    var credentials: SimotelCredentials {
        if user == nil && apiKey == nil { return .documentationSample }
        return SimotelCredentials(user: user, password: password, apiKey: apiKey, mode: auth)
    }
}

extension SimulatorConfiguration.PingMethod: ExpressibleByArgument {}
