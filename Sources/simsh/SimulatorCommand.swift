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
            stops it. An account's --password and --api-key can be read by other users of the machine \
            in the process list: --password-env VAR and --api-key-env VAR take them from the environment.

            Records are answered in the shapes of api-v4.md §8. Stored times (date, start, starttime, \
            endtime) are Jalali strings in the server's time zone ("1402-04-28 19:02:00"); a call's answer \
            and a request's date_range are Gregorian; a campaign's Gregorian start and end are stored \
            Jalali with isoStart and isoEnd as extended-JSON dates; autodialer groups/update answers its \
            date as one. Paged searches filter by date_range (both ends' minutes included), sort by \
            pagination.sorting on any field or by each service's documented default, then page.

            Every field the documentation marks R is required: without it the answer is success 0, \
            "Field 'NAME':value is missing", a nested field by its dotted name (date_range.from); a \
            search by conditions.cuid needs no date_range. A queue agent action on a queue that does not \
            exist, and a campaign whose trunk_manager_id names no trunk manager, answer success 0, \
            "Requested operation failed". Where the documentation is silent the simulator chose: a batch \
            agent call with an item that is not an object with the action's fields fails whole (nothing \
            applied); an item naming a missing queue fails alone (its ok 0, the call's ok 0); a user's \
            queues lists the numbers of the queues it is an agent of; a fax row's src is the sender_id, \
            dst the number called, trunk the trunk_name and channel SIP/TRUNK/EXT; a campaign starts with \
            status waiting and repeat 0; a group's count is its number of numbers.

            A JSON body that is valid but not an object ([], which the official PHP SDK sends for \
            every call without data, or null) is taken as {}, as an empty body is: a service without \
            required fields answers as usual (the SDK's ping, POST setting/ping/act with [], works \
            with --ping-method post or any), one with required fields names the first missing.

            call/originate/act plays the call with the events Simotel sends: the caller is rung \
            first (NewState Ringing, then InUse when it answers), then the callee is dialled \
            (IncomingCall for an extension, OutgoingCall for an external number) and rung, then both \
            hang up (Idle) and a Cdr follows. --outcome NUMBER=OUTCOME (repeatable; in the shell, \
            simulate outcome) sets how calls to or from NUMBER end: answered (the default), \
            no-answer (NewState Ringing then Idle, never InUse; Cdr NO ANSWER, billsec 0), busy (no \
            NewState: the line is in another call; Cdr BUSY, billsec 0) or failed (no NewState; Cdr \
            FAILED, billsec 0). When the caller does not answer the call ends there: no \
            IncomingCall or OutgoingCall and no Cdr, as api-v4.md documents. Only answered calls \
            have a recording (the Cdr's record, for reports audio download).

            --seed demo adds four users (101 Sara, 102 Omid, 103 Neda, and 199 No Answer, an \
            extension that never answers: its calls end no-answer unless --outcome 199=... says \
            otherwise), the trunk SimotelTrunk, the queue 900 with agents 101 and 102, music on \
            hold, an autodialer trunk manager (title autodialer), seven calls over four days, and \
            their reports: queue statistics and queue details for the answered calls to queue 900 \
            (reports queue, reports queue-details, reports quick-info by cuid) and the agents' \
            time in the queue (reports agent).

            --verbose writes one line per request on standard error: method, path, status and the \
            time the answer took (POST /api/v4/setting/ping/act 200 0.3 ms); never a header, query \
            or body, so no secret. Events sent are logged there too.
            """)

    @Option(help: "Address to listen on")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one)")
    var port = 0

    @Option(help: "API account user name")
    var user: String?

    @Option(help: "API account password (the value shows in the process list; prefer --password-env)")
    var password: String?

    @Option(
        name: .customLong("password-env"),
        help: ArgumentHelp("Read the API account password from this environment variable", valueName: "var"))
    var passwordEnv: String?

    @Option(
        name: .customLong("api-key"),
        help: "API account key, X-APIKEY (the value shows in the process list; prefer --api-key-env)")
    var apiKey: String?

    @Option(
        name: .customLong("api-key-env"),
        help: ArgumentHelp("Read the API account key from this environment variable", valueName: "var"))
    var apiKeyEnv: String?

    @Option(help: ArgumentHelp("Which headers the account requires: basic, key or both", valueName: "mode"))
    var auth: AuthMode?

    @Option(
        name: .customLong("ping-method"),
        help: ArgumentHelp("Methods setting/ping/act accepts: put, post or any", valueName: "method"))
    var pingMethod: SimulatorConfiguration.PingMethod = .put

    @Option(name: .customLong("events-to"), help: ArgumentHelp("Send event webhooks to this URL", valueName: "url"))
    var eventsTo: String?

    @Option(
        help: ArgumentHelp(
            "Start with data: demo (users, a queue, a trunk, a trunk manager, calls over four days)",
            valueName: "name"))
    var seed: String?

    @Option(
        name: .customLong("outcome"),
        help: ArgumentHelp(
            "How calls to or from NUMBER end: answered, no-answer, busy or failed (repeatable)",
            valueName: "number=outcome"))
    var outcomeRules: [OutcomeRule] = []

    @Flag(help: "Log each request (method, path, status, time in ms) to standard error")
    var verbose = false

    /// The outcomes `--outcome` sets, by number.
    var outcomes: [String: CallOutcome] {
        Dictionary(outcomeRules.map { ($0.number, $0.outcome) }, uniquingKeysWith: { _, last in last })
    }

    func validate() throws {
        if let seed, seed != "demo" { throw ValidationError("--seed knows only 'demo'") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if password != nil && passwordEnv != nil { throw ValidationError("use either --password or --password-env") }
        if apiKey != nil && apiKeyEnv != nil { throw ValidationError("use either --api-key or --api-key-env") }
        for (option, variable) in [("--password-env", passwordEnv), ("--api-key-env", apiKeyEnv)] {
            if let variable, Self.environment(variable) == nil {
                throw ValidationError("\(option): environment variable \(variable) is not set")
            }
        }
        let key = accountAPIKey
        if (user == nil) != (accountPassword == nil) {
            throw ValidationError("give --user and --password (or --password-env) together")
        }
        if user != nil || key != nil {
            let mode = auth ?? SimotelCredentials.inferredMode(user: user, apiKey: key)
            if mode != .key && user == nil {
                throw ValidationError("--auth \(mode.rawValue) needs --user and --password")
            }
            if mode != .basic && key == nil { throw ValidationError("--auth \(mode.rawValue) needs --api-key") }
        } else if auth != nil {
            throw ValidationError("--auth needs the account's secrets (--user/--password, --api-key)")
        }
        if let eventsTo, SimotelConnection.parseAddress(eventsTo) == nil || !eventsTo.contains("://") {
            throw ValidationError("--events-to must be an http:// or https:// URL")
        }
    }

    /// The account's password: `--password`, else the variable `--password-env` names.
    var accountPassword: String? { password ?? passwordEnv.flatMap(Self.environment) }

    /// The account's API key: `--api-key`, else the variable `--api-key-env` names.
    var accountAPIKey: String? { apiKey ?? apiKeyEnv.flatMap(Self.environment) }

    /// An environment variable's value; nil when unset or empty.
    static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    var credentials: SimotelCredentials {
        let key = accountAPIKey
        if user == nil && key == nil { return .documentationSample }
        return SimotelCredentials(user: user, password: accountPassword, apiKey: key, mode: auth)
    }
}

extension SimulatorConfiguration.PingMethod: ExpressibleByArgument {}

/// `--outcome 199=no-answer`.
struct OutcomeRule: ExpressibleByArgument {
    var number: String
    var outcome: CallOutcome

    init?(argument: String) {
        guard let eq = argument.firstIndex(of: "=") else { return nil }
        let number = argument[..<eq].trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty, let outcome = CallOutcome(rawValue: String(argument[argument.index(after: eq)...]))
        else { return nil }
        self.number = number
        self.outcome = outcome
    }
}
