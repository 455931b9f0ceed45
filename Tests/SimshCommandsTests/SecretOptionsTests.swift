import Testing

@testable import SimshCommands
@testable import SimshRuntime

/// What follows a secret option is masked in history, traces and recordings (`Redactor`), for
/// any line typed; the options the commands declare for a password or a key are all among them.
/// (The redactor masks more: options no command declares but people type by habit, `--token`.)
@Suite struct SecretOptionsTests {
    static func declaredSecretOptions(_ command: CommandCatalog.Command) -> Set<String> {
        var found: Set<String> = []
        for option in command.options where !option.isFlag {
            // `--password-env NAME`, `--secret-file NAME=PATH`: names of where a secret is, not secrets.
            for name in option.names
            where name.hasPrefix("--") && !["-env", "-file", "-stdin"].contains(where: name.hasSuffix) {
                if name.contains("password") || name.contains("api-key") || name.contains("secret") {
                    found.insert(name)
                }
            }
        }
        for sub in command.subcommands { found.formUnion(declaredSecretOptions(sub)) }
        return found
    }

    @Test func everyDeclaredSecretOptionIsMasked() {
        let declared = Self.declaredSecretOptions(CommandCatalog.shared.root)
        #expect(declared.contains("--password") && declared.contains("--api-key"), "\(declared)")
        #expect(declared.subtracting(Redactor.secretOptions).isEmpty, "\(declared.subtracting(Redactor.secretOptions))")
    }
}
