import Foundation
import SimshTesting
import Testing

extension SpawningTests {
    /// Completion scripts and `scripts/install` (issue 12, points 5 and 7).
    @Suite struct InstallTests {
        /// bash completes the shell's options at once, saved profiles after -p, commands and
        /// .simsh scripts in the first word.
        @Test func bashCompletesOptionsProfilesCommandsAndScripts() throws {
            let home = TempDir()
            let env = ["SIMSH_CONFIG": home.file("c.toml"), "SIMSH_HISTFILE": home.file("h"), "NO_COLOR": "1"]
            #expect(
                try spawnSimsh(["-c", "connect http://pbx.lan --save office --no-check"], environment: env, home: home)
                    .status == 0
            )
            let script = try spawnSimsh(["--generate-completion-script", "bash"], environment: env, home: home)
            try script.stdout.write(toFile: home.file("simsh.bash"), atomically: true, encoding: .utf8)
            try "".write(toFile: home.file("check.simsh"), atomically: true, encoding: .utf8)
            let harness = """
                source \(home.file("simsh.bash"))
                comp() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _simsh simsh "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"; echo "${COMPREPLY[*]}"; }
                cd \(home.path)
                comp simsh --pro
                comp simsh -p of
                comp simsh pin
                comp simsh ch
                """
            var environment = env
            environment["PATH"] = (simshBinary as NSString).deletingLastPathComponent + ":/usr/bin:/bin"
            let bash = try ChildProcess("/bin/bash", ["-c", harness], environment: environment)
            #expect(bash.wait() == 0, "\(bash.stderr)")
            #expect(
                bash.stdout.split(separator: "\n").map(String.init) == ["--profile", "office", "ping", "check.simsh"],
                "\(bash.stdout) \(bash.stderr)")
            for shell in ["zsh", "fish"] {
                let text = try spawnSimsh(["--generate-completion-script", shell], environment: env, home: home).stdout
                #expect(text.contains("--profile") && text.contains(".simsh"), "\(shell)")
            }
        }

        /// `scripts/install PREFIX` puts the binary, every page and the completions where `man`
        /// and the shells find them; `--uninstall` takes them all away.
        @Test func installRendersTheManPagesAndUninstallRemovesEverything() throws {
            let prefix = TempDir()
            let install = try ChildProcess(
                "/bin/bash", [packageRoot + "/scripts/install", "--binary", simshBinary, prefix.path],
                environment: ["PATH": "/usr/bin:/bin"])
            #expect(install.wait() == 0, "\(install.stderr)")
            let version = try ChildProcess(prefix.path + "/bin/simsh", ["version"], environment: [:])
            #expect(version.wait() == 0 && version.stdout.hasPrefix("simsh "))
            for page in [["simsh"], ["simsh-script"], ["7", "simsh-events"], ["simsh-ping"], ["simsh-api"]] {
                let man = try ChildProcess(
                    "/usr/bin/man", page,
                    environment: [
                        "PATH": "/usr/bin:/bin", "MANPATH": prefix.path + "/share/man", "PAGER": "cat",
                        "MANWIDTH": "80",
                    ])
                #expect(man.wait() == 0 && man.stdout.contains("NAME"), "man \(page): \(man.stderr)")
            }
            // `man simsh-events` (section 1 first: the events command) lists the 19 events too.
            let events = try ChildProcess(
                "/usr/bin/man", ["simsh-events"],
                environment: [
                    "PATH": "/usr/bin:/bin", "MANPATH": prefix.path + "/share/man", "PAGER": "cat", "MANWIDTH": "200",
                ])
            #expect(events.wait() == 0)
            // (man hyphenates long words at line ends: "AutoDialer- Report")
            let flat = events.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                .replacingOccurrences(of: "- ", with: "")
            for name in [
                "Ping", "NewState", "Cdr", "CdrQueue", "TrunkRemoved", "AutoDialerReport", "ReservedCallInFront",
            ] {
                #expect(flat.contains(name), "man simsh-events lacks \(name)")
            }
            #expect(flat.contains("The 19 events Simotel sends"))
            for file in [
                "share/bash-completion/completions/simsh", "share/zsh/site-functions/_simsh",
                "share/fish/vendor_completions.d/simsh.fish", "share/man/man5/simsh-script.5",
                "share/man/man7/simsh-events.7", "share/man/man1/simsh.1",
            ] {
                #expect(FileManager.default.fileExists(atPath: prefix.file(file)), "\(file)")
            }
            let uninstall = try ChildProcess(
                "/bin/bash", [packageRoot + "/scripts/install", "--uninstall", prefix.path],
                environment: ["PATH": "/usr/bin:/bin"])
            #expect(uninstall.wait() == 0)
            let left = FileManager.default.enumerator(atPath: prefix.path)?.compactMap { $0 as? String }.filter {
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: prefix.file($0), isDirectory: &isDirectory)
                    && !isDirectory.boolValue
            }
            #expect(left == [], "\(left ?? [])")
        }
    }
}
