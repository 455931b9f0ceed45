import ArgumentParser
import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime

struct ComponentCall: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call your component service as Simotel would and check its reply",
        discussion: """
            Sends what Simotel sends when a call reaches an Exten, Trunk, IVR or Smart API component \
            (webhooks.md §6.1: src, dst, data, unique_id, app_name, and originated_call_id for Smart API; \
            empty unless given as field=value), the same way as the event webhooks (--variant g4: JSON \
            POST; get: query; form: form body), with the profile's listener credentials or --user and \
            a password (--password-env VAR, --password-stdin, or --password, which other users of the \
            machine can see in the process list) as Basic auth, masked from then on wherever simsh \
            writes (a service echoing it included), and waits --timeout (1 s, as Simotel). The reply is \
            printed and kept as $reply (with status and time_ms), then checked for its kind: a JSON object, ok "1" (or 1), \
            extension / trunk, extension, call_limit / case / commands, and a Smart API script without \
            mistakes (exit 1 otherwise, each problem on a line); an HTTP status other than 2xx is exit 4, \
            as for the API; no reply in time or a refused connection is exit 3. Example: component \
            call smart http://127.0.0.1:8080/ src=09155441 dst=789 --app-name s1 --cases go-s2, then \
            expect $reply.commands contains "GetData".
            """
    )

    @Argument(help: ArgumentHelp("exten, trunk, ivr or smart", valueName: "kind"))
    var kind: ComponentKind

    @Argument(help: ArgumentHelp("Your service's address (the component's API Address)", valueName: "url"))
    var url: String

    @Argument(help: ArgumentHelp("Request fields: src=…, dst=…, data=…, unique_id=…", valueName: "field=value"))
    var fields: [FieldCondition] = []

    @Option(help: ArgumentHelp("The component's name in the dialplan (default: its kind's title)", valueName: "name"))
    var appName: String?

    @OptionGroup var receiver: ReceiverOptions

    @Option(help: ArgumentHelp("How long to wait for the reply (Simotel waits 1s)", valueName: "duration"))
    var timeout = DurationArgument(seconds: ComponentKind.deadline)

    @Option(help: ArgumentHelp("A Smart API component's cases, comma-separated", valueName: "cases"))
    var cases: String?

    func validate() throws {
        if receiver.variant == .rest4 {
            throw ValidationError("components are called at their address: --variant g4, get or form")
        }
    }

    func run(in session: Session) async throws {
        for f in fields where !kind.requestFields.contains(f.field) {
            let near = EditDistance.nearest(f.field, among: kind.requestFields).map { "; did you mean '\($0)'?" } ?? ""
            throw SimshError.usage("component call: Simotel sends no field '\(f.field)' to \(kind.withArticle)\(near)")
        }
        let payload = kind.request(appName: appName, fields: fields.map { ($0.field, $0.value) })
        // `user:password@` in the URL is Basic auth (masked from now on), after --user's.
        let (url, fromURL) = session.receiver(self.url)
        let auth = try receiver.basicAuth(in: session) {
            try fromURL ?? session.active?.profile.listenerCredentials(environment: session.environment)
        }
        let result: WebhookSender.Result
        do {
            result = try await WebhookSender(timeout: timeout.seconds).send(
                payload, eventName: kind.title, to: url, variant: receiver.variant, basicAuth: auth,
                trace: session.traceHook)
        } catch {
            let reason = await TransportErrorDescription.describe(error, timeout: timeout.seconds, url: url)
            throw SimshError.io("no reply from \(url): \(reason)")
        }
        let json = try? JSONValue.parse(result.body)
        var members: [(String, JSONValue)] = []
        if case .object(let pairs)? = json { members = pairs }
        members += [("status", .number(Double(result.status))), JSONValue.elapsed(result.elapsedMilliseconds)]
        session.replyValue = .object(members)

        let ms = String(format: "%.1f", result.elapsedMilliseconds)
        let caseList = cases.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let problems = (200..<300).contains(result.status) ? kind.problems(in: result.body, cases: caseList) : []
        show(result, json: json, problems: problems, in: session)
        if !(200..<300).contains(result.status) {
            // As for the API: the service said no (exit 4), not a reply of the wrong shape (exit 1).
            throw SimshError(.api, "\(kind.rawValue) reply: HTTP \(result.status) from \(url): Simotel wants 200")
        }
        if result.elapsedMilliseconds > ComponentKind.deadline * 1000 {
            // Only with a --timeout past Simotel's: said, not failed (the longer wait was asked for).
            session.output.warning("the reply took \(ms) ms: Simotel waits \(Int(ComponentKind.deadline * 1000)) ms")
        }
        guard problems.isEmpty else {
            for problem in problems {
                session.output.error(SimshError(.expectation, "\(kind.rawValue) reply: \(problem)"))
            }
            throw SimshError(.expectation, "invalid \(kind.title) reply from \(url)")
        }
    }

    /// The reply: a line and the JSON, or with `--output json` one `"type":"answer"` line.
    func show(_ result: WebhookSender.Result, json: JSONValue?, problems: [String], in session: Session) {
        if session.outputMode == .json {
            session.output.json(
                .answer,
                .object([
                    ("command", .string("component call")), ("kind", .string(kind.rawValue)),
                    ("url", .string(result.url)), ("status", .number(Double(result.status))),
                    ("data", json ?? .string(String(decoding: result.body.prefix(2000), as: UTF8.self))),
                    ("problems", .array(problems.map(JSONValue.string))),
                    JSONValue.elapsed(result.elapsedMilliseconds),
                ]))
            return
        }
        let ms = String(format: "%.1f", result.elapsedMilliseconds)
        session.output.line("\(kind.title) reply from \(result.url): HTTP \(result.status) (\(ms) ms)")
        if let json {
            session.output.line(json.serialized(pretty: true))
        } else if !result.body.isEmpty {
            session.output.line(String(decoding: result.body.prefix(2000), as: UTF8.self))
        }
    }
}

extension ComponentKind: ExpressibleByArgument {}

extension ComponentCall: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Check a Smart API service's reply, as Simotel would call it:",
            "simsh> component call smart http://127.0.0.1:8000/ src=09155441 dst=789 --app-name s1",
            "Smart API reply from http://127.0.0.1:8000/: HTTP 200 (3.2 ms)",
            "{",
            "  \"ok\": \"1\",",
            "  \"commands\": \"Exit('go-s2')\"",
            "}"),
        CommandExample(
            "In a check file:",
            "component call ivr $SERVICE data=2 --app-name menu",
            "expect $reply.case == 2"),
    ]
}
