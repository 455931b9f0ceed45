import ArgumentParser
import Foundation
import SimotelKit
import SimotelWebhooks
import SimshLanguage
import SimshRuntime

struct SimulateEvent: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Send the documented sample of an event webhook to a URL",
        discussion: """
            Sends the sample payload of any of the 19 events of Simotel's documentation, with FIELD=VALUE \
            overriding fields, to --to URL (default: this session's listener). Variants: g4 (POST JSON to \
            the URL, the default), rest4 (POST JSON to URL/EventName), get (GET with query parameters), \
            form (POST form-urlencoded, as versions 2 and 3).
            """
    )

    @Argument(help: ArgumentHelp("Event name", valueName: "name"), completion: .list(EventCatalog.all.map(\.name)))
    var name: String

    @Argument(help: ArgumentHelp("Fields to set", valueName: "field=value"))
    var fields: [FieldCondition] = []

    @Option(help: ArgumentHelp("Where to send it (default: the session's listener)", valueName: "url"))
    var to: String?

    @OptionGroup var receiver: ReceiverOptions

    func run(in session: Session) async throws {
        guard let kind = EventCatalog.kind(named: name) else {
            throw SimshError.usage(
                "unknown event '\(name)' (known: \(EventCatalog.all.map(\.name).joined(separator: ", ")))")
        }
        guard let typed = to ?? session.listener?.url else {
            throw SimshError.usage("nowhere to send it: give --to URL or start 'listen events'")
        }
        var payload = kind.sample
        for f in fields {
            // A field the sample sends as a number stays a number (Cdr.billsec, Survey.point).
            if case .number? = payload[f.field], let d = Double(f.value) {
                payload = payload.setting(f.field, to: .number(d))
            } else {
                payload = payload.setting(f.field, to: .string(f.value))
            }
        }
        // `user:password@` in the URL is Basic auth (masked from now on), after --user's.
        let (target, fromURL) = session.receiver(typed)
        let auth = try receiver.basicAuth(in: session) {
            fromURL ?? (to == nil ? session.listener?.configuration.basicAuth : nil)
        }
        let result: WebhookSender.Result
        do {
            result = try await WebhookSender().send(
                payload, eventName: kind.name, to: target, variant: receiver.variant, basicAuth: auth,
                trace: session.traceHook)
        } catch {
            let reason = await TransportErrorDescription.describe(
                error, timeout: WebhookSender.defaultTimeout, url: target)
            throw SimshError.io("cannot send \(kind.name) to \(target): \(reason)")
        }
        let ms = String(format: "%.1f", result.elapsedMilliseconds)
        session.output.line(
            "sent \(kind.name) (\(receiver.variant.rawValue)) to \(result.url): HTTP \(result.status) (\(ms) ms)")
        guard (200..<300).contains(result.status) else {
            throw SimshError(.api, "the receiver answered HTTP \(result.status)")
        }
    }
}

extension WebhookSender.Variant: ExpressibleByArgument {}

/// How a request goes to a receiver as Simotel sends it (`simulate event`, `component call`):
/// the delivery variant and the Basic credentials.
struct ReceiverOptions: ParsableArguments {
    @Option(help: ArgumentHelp("g4 (JSON POST), rest4 (events only), get or form", valueName: "variant"))
    var variant: WebhookSender.Variant = .g4

    @Option(help: ArgumentHelp("Basic credentials user for the receiver", valueName: "user"))
    var user: String?

    @OptionGroup var passwordOptions: PasswordOptions

    func validate() throws {
        if passwordOptions.given == 1 && user == nil {
            throw ValidationError("give --user with the password (--password-env, --password-stdin or --password)")
        }
    }

    /// `--user` and its password when given, else `fallback` (the listener's or the profile's).
    /// The password is a secret of the session from then on: masked wherever simsh writes it (a
    /// service echoing it back included).
    func basicAuth(
        in session: Session, else fallback: () throws -> (user: String, password: String)?
    ) throws -> (user: String, password: String)? {
        let auth: (user: String, password: String)?
        if let user {
            auth = (user, try givenPassword(in: session) ?? "")
        } else {
            auth = try fallback()
        }
        if let auth { session.secrets.add(auth.password) }
        return auth
    }

    /// The password from `--password`, `--password-env` or `--password-stdin`, or nil.
    func givenPassword(in session: Session) throws -> String? {
        try passwordOptions.value("receiver password", in: session)
    }
}

extension SimulateEvent: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Send a documented event to the listener:",
            "simsh demo> simulate event Cdr disposition=ANSWERED"),
        CommandExample(
            "To another receiver, as a GET with query parameters:",
            "simsh> simulate event NewState --to http://127.0.0.1:9000/ --variant get"),
    ]
}
