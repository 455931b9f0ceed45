import Foundation
import SafeFiles
import SimshLanguage
import SimshRuntime
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 21, what the closing review found untested or outside the rule: inputs read from
/// `/dev/stdin`, a history of `/dev/null`, the lock file and the HTML report's directory under the
/// symbolic-link rule, and a profile whose url is no URL.
@Suite struct SafetyGapsUnitTests {
    /// A directory of `mode` is made with the ones above it; a file in the way is named; the lock
    /// file is made private, with its directory.
    @Test func directoriesAndLockFilesAreMadeUnderTheRule() throws {
        let dir = TempDir()
        try SafeFile.makeDirectory(dir.file("report/deeper"), mode: 0o755)
        var st = stat()
        #expect(stat(dir.file("report/deeper"), &st) == 0 && st.st_mode & S_IFMT == S_IFDIR)
        #expect(st.st_mode & 0o700 == 0o700 && st.st_mode & 0o022 == 0)
        try SafeFile.makeDirectory(dir.file("report/deeper"), mode: 0o755)  // there already: fine
        try "x".write(toFile: dir.file("file"), atomically: false, encoding: .utf8)
        do {
            try SafeFile.makeDirectory(dir.file("file"))
            Issue.record("a directory was made over a file")
        } catch {
            #expect("\(error)" == "cannot create directory \(dir.file("file")): not a directory")
        }
        let fd = try SafeFile.openLock(dir.file("state/simsh/history.lock"))
        close(fd)
        #expect(stat(dir.file("state/simsh/history.lock"), &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(stat(dir.file("state/simsh"), &st) == 0 && st.st_mode & 0o077 == 0)
    }

    /// A profile of the file `url` names no http:// or https:// server in: refused at load with
    /// the file and line, as the other values are (it failed at connect, without them).
    static func config(url: String) -> String {
        """
        default_profile = "lab"

        [profiles.good]
        url = "http://127.0.0.1:1"

        [profiles.lab]
        url = \(url)

        """
    }

    /// The value as written in the file, and as the message shows it (a password masked).
    static let badURLs: [(value: String, shown: String)] = [
        ("\"ftp://pbx.example\"", "ftp://pbx.example"), ("\"http://\"", "http://"),
        ("\"file:///etc/simsh\"", "file:///etc/simsh"),
        ("\"ftp://admin:Url-Secret-77@pbx.example\"", "ftp://admin:****@pbx.example"),
    ]

    @Test(arguments: badURLs)
    func aProfileURLThatIsNoURLIsRefusedWithItsLine(_ entry: (value: String, shown: String)) throws {
        let dir = TempDir()
        let path = dir.file("config.toml")
        try Self.config(url: entry.value).write(toFile: path, atomically: false, encoding: .utf8)
        do {
            _ = try ProfileStore(path: path).load()
            Issue.record("url = \(entry.value) was accepted")
        } catch let e as SimshError {
            #expect(e.exitStatus == 2)
            #expect(
                e.message == "\(path):7: profile lab: url must be an http:// or https:// URL, not '\(entry.shown)'",
                "\(e.message)")
            #expect(!e.message.contains("Url-Secret-77"))
        }
    }
}

extension SpawningTests {
    @Suite struct SafetyGapsTests {}
}

extension SpawningTests.SafetyGapsTests {
    /// `simsh /dev/stdin`, `source /dev/stdin` and `simulate call --dialplan /dev/stdin` read the
    /// pipe to its end and run what it holds.
    @Test func scriptsSourcedFilesAndDialplansAreReadFromStandardInput() throws {
        let home = TempDir()
        let script = try spawnSimsh(["/dev/stdin"], stdin: "echo from-dev-stdin\n", home: home, timeout: 60)
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.stdout == "from-dev-stdin\n", "\(script.stdout)")
        let sourced = try spawnSimsh(
            ["-c", "source /dev/stdin; echo after"], stdin: "echo sourced\n", home: home, timeout: 60)
        #expect(sourced.status == 0, "\(sourced.stderr)")
        #expect(sourced.stdout == "sourced\nafter\n", "\(sourced.stdout)")
        let plan = "start = \"desk\"\n\n[components.desk]\nkind = \"exten\"\n"
        let walked = try spawnSimsh(
            [
                "-c",
                "listen events --port 0; answer exten desk extension=120; "
                    + "simulate call --dialplan /dev/stdin --timeout 20s",
            ], stdin: plan, home: home, timeout: 90)
        #expect(walked.status == 0, "\(walked.stdout)\(walked.stderr)")
        #expect(walked.stdout.contains("dialplan /dev/stdin\n"), "\(walked.stdout)")
        #expect(walked.stdout.contains("call reached extension 120"), "\(walked.stdout)")
    }

    /// `SIMSH_HISTFILE=/dev/null` turns the history off, as bash's HISTFILE does: no warning, in
    /// `-c` or typed at the prompt, and no `/dev/null.lock`.
    @Test func aHistoryOfDevNullWarnsOfNothingAndLocksNothing() throws {
        let lockWasThere = FileManager.default.fileExists(atPath: "/dev/null.lock")
        let home = TempDir()
        let r = try spawnSimsh(
            ["-c", "echo hi; history"], environment: ["SIMSH_HISTFILE": "/dev/null"], home: home, timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "hi\n", "\(r.stdout)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let t = try TmuxSession(home: home, environment: ["SIMSH_HISTFILE": "/dev/null"])
        #expect(t.waitForPrompt("simsh demo>", 60), "\(t.screen)")
        for line in ["echo hi", "history"] {
            try t.type(line)
            try t.press("Enter")
            #expect(t.waitForPrompt("simsh demo>", 30), "\(t.screen)")
        }
        try t.press("C-d")
        #expect(t.waitForExit(30) == 0, "\(t.screen)")
        // The pane stays after the exit: everything the session printed.
        #expect(!t.screen.contains("history not") && !t.screen.contains("warning"), "\(t.screen)")
        // Only where it was not there before: another program may have made it.
        if !lockWasThere { #expect(!FileManager.default.fileExists(atPath: "/dev/null.lock")) }
    }

    /// A sticky world-writable directory (as /tmp is) of the test's user, in `home`.
    static func stickyDirectory(in home: TempDir) throws -> String {
        let sticky = home.file("shared-tmp")
        try FileManager.default.createDirectory(atPath: sticky, withIntermediateDirectories: true)
        #expect(chmod(sticky, 0o1777) == 0)
        return sticky
    }

    /// A directory of one passing check.
    static func passingCheck(in home: TempDir) throws -> String {
        let dir = home.file("checks")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "expect 1 == 1\n".write(toFile: dir + "/a.simsh", atomically: false, encoding: .utf8)
        return dir
    }

    /// What the kernel's rule allows, checked as any user: links of the user's own in a sticky
    /// world-writable directory are followed, for the config's lock file and the report's directory.
    @Test func linksOfTheUsersOwnInAStickyDirectoryAreFollowed() throws {
        let home = TempDir()
        let sticky = try Self.stickyDirectory(in: home)
        let elsewhere = home.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        #expect(symlink(elsewhere + "/config.lock", sticky + "/config.toml.lock") == 0)
        #expect(symlink(elsewhere, sticky + "/out") == 0)
        let saved = try spawnSimsh(
            ["-c", "connect http://127.0.0.1:1 --save lab --no-check"],
            environment: ["SIMSH_CONFIG": sticky + "/config.toml"], home: home, timeout: 60)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/config.lock"))
        #expect(try String(contentsOfFile: sticky + "/config.toml", encoding: .utf8).contains("[profiles.lab]"))
        let checks = try Self.passingCheck(in: home)
        let report = try spawnSimsh(["test", checks, "--report-html", sticky + "/out/report"], home: home, timeout: 60)
        #expect(report.status == 0, "\(report.stdout)\(report.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/report/index.html"))
    }

    /// Links another user planted: neither the lock file nor the report's directory is made where
    /// they point; one line says why. (The in-process and `--report-tap` cases are in
    /// SafeFilesTests and ReportTargetTests.) Only root can give a link another owner: as any
    /// other user, `linksOfTheUsersOwnInAStickyDirectoryAreFollowed` checks what the rule allows.
    @Test(.enabled(if: SafeFilesTests.isRoot, "planting another user's link needs root (lchown)"))
    func aPlantedLinkMakesNoLockFileAndNoReportDirectory() throws {
        let home = TempDir()
        let sticky = try Self.stickyDirectory(in: home)
        let victim = home.file("victim")
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        for (link, target) in [("config.toml.lock", victim + "/config.lock"), ("out", victim)] {
            #expect(symlink(target, sticky + "/" + link) == 0)
            #expect(lchown(sticky + "/" + link, 65534, 65534) == 0)
        }
        let saved = try spawnSimsh(
            ["-c", "connect http://127.0.0.1:1 --save lab --no-check"],
            environment: ["SIMSH_CONFIG": sticky + "/config.toml"], home: home, timeout: 60)
        #expect(saved.status == 3, "\(saved.stderr)")
        #expect(saved.stderr.contains("config.toml.lock is a symbolic link of another user"), "\(saved.stderr)")
        let checks = try Self.passingCheck(in: home)
        let report = try spawnSimsh(["test", checks, "--report-html", sticky + "/out/report"], home: home, timeout: 60)
        // As a report that cannot be written exits (TestRunner: 2).
        #expect(report.status == 2, "\(report.stdout)\(report.stderr)")
        let lines = report.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(report.stderr)")
        #expect(lines.first?.contains("symbolic link of another user") == true, "\(report.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim).isEmpty)
    }

    /// Started with such a profile, simsh says so at once and exits 2.
    @Test func aProfileURLThatIsNoURLEndsTheStart() throws {
        let home = TempDir()
        try FileManager.default.createDirectory(atPath: home.file("config"), withIntermediateDirectories: true)
        try SafetyGapsUnitTests.config(url: "\"ftp://pbx.example\"").write(
            toFile: home.file("config/config.toml"), atomically: false, encoding: .utf8)
        let r = try spawnSimsh(["-p", "lab", "-c", "ping"], home: home, timeout: 60)
        #expect(r.status == 2, "\(r.stderr)")
        let said = "config.toml:7: profile lab: url must be an http:// or https:// URL, not 'ftp://pbx.example'"
        #expect(r.stderr.contains(said), "\(r.stderr)")
    }
}
