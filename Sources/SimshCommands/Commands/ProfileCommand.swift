import ArgumentParser

struct ProfileCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "List, show, save, remove and choose saved connection profiles",
        discussion: """
            Profiles live in the config file ($SIMSH_CONFIG, else $XDG_CONFIG_HOME/simsh/config.toml, \
            else ~/.config/simsh/config.toml), written with mode 0600. A profile may name an \
            environment variable instead of holding a secret (password_env, api_key_env); cacert \
            names the PEM file of a private CA that issued the server's certificate.
            """,
        subcommands: [ProfileList.self, ProfileShow.self, ProfileSave.self, ProfileRemove.self, ProfileUse.self]
    )
}

extension ProfileCommand: Exemplified {
    static let group = HelpGroup.session
    static let examples = [
        CommandExample(
            "Saved connections:",
            "simsh> profile list",
            "simsh> profile use office")
    ]
}
