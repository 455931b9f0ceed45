import ArgumentParser
import Foundation
import SimshLanguage
import SimshRuntime

struct ProfileShow: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a profile's settings (secrets masked)"
    )

    @Argument(help: ArgumentHelp("The profile (default: the connected one)", valueName: ValueKind.profile))
    var name: String?

    func run(in session: Session) async throws {
        let profile: Profile
        if let name {
            guard let p = try session.profiles.profile(named: name) else {
                throw session.unknownProfile(name)
            }
            profile = p
        } else if let active = session.active {
            profile = active.profile
        } else {
            throw SimshError.usage("not connected; name a profile")
        }
        var rows: [(String, String)] = [
            ("name", profile.name.isEmpty ? "(unsaved)" : profile.name), ("url", profile.url),
        ]
        if let v = profile.user { rows.append(("user", v)) }
        if profile.password != nil { rows.append(("password", Redactor.mask)) }
        if let v = profile.passwordEnv { rows.append(("password_env", v)) }
        if profile.apiKey != nil { rows.append(("api_key", Redactor.mask)) }
        if let v = profile.apiKeyEnv { rows.append(("api_key_env", v)) }
        rows.append(("auth", profile.auth?.rawValue ?? "auto"))
        if let v = profile.timeout { rows.append(("timeout", "\(v)")) }
        if profile.insecure { rows.append(("insecure", "true")) }
        if let v = profile.cacert { rows.append(("cacert", v)) }
        if let v = profile.confirm { rows.append(("confirm", "\(v)")) }
        if let v = profile.listenUser { rows.append(("listen_user", v)) }
        if profile.listenPassword != nil { rows.append(("listen_password", Redactor.mask)) }
        if let v = profile.listenPasswordEnv { rows.append(("listen_password_env", v)) }
        session.output.keyValues(rows)
    }
}

extension ProfileShow: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "One profile, secrets masked:",
            "simsh> profile show office")
    ]
}
