import Foundation
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 21, point 5's parts that had no test: a running simsh is not dumpable, the simulator
/// takes its account's secrets from the environment, and every option that takes a secret says
/// in its help that the value shows in the process list.
extension SpawningTests.SafetyGapsTests {
    /// The environment of a simsh run as `nobody` (setpriv): nothing of the test's home.
    static let nobodyEnvironment = [
        "HOME": "/nonexistent", "SIMSH_HISTFILE": "/dev/null", "SIMSH_CONFIG": "/nonexistent/config.toml",
        "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
    ]

    /// The owner the kernel shows for /proc/PID: the process's user while it is dumpable, root
    /// (of its user namespace) once it is not (PR_SET_DUMPABLE 0).
    static func procOwner(_ pid: pid_t) -> uid_t? {
        var st = stat()
        return stat("/proc/\(pid)", &st) == 0 ? st.st_uid : nil
    }

    /// Whether the user simsh runs as here may read its binary: exec of a binary it cannot read
    /// makes a process not dumpable whatever simsh does, and the two cases would look alike.
    static var binaryReadable: Bool {
        var st = stat()
        guard stat(simshBinary, &st) == 0 else { return false }
        return geteuid() == 0 ? st.st_mode & S_IROTH != 0 : access(simshBinary, R_OK) == 0
    }

    /// simsh running `-c`, once it has started (past its hardening), and the user it runs as:
    /// `nobody` when the tests run as root, since root's /proc files are root's either way.
    static func runningSimsh(coreDumps: Bool, home: TempDir) throws -> (child: ChildProcess, uid: uid_t) {
        let script = "echo started; sleep 60s"
        let dumps = coreDumps ? "1" : "0"
        let child: ChildProcess
        let uid: uid_t
        if geteuid() == 0 {
            var environment = nobodyEnvironment
            environment["SIMSH_CORE_DUMPS"] = dumps
            child = try ChildProcess(
                "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", simshBinary, "-c", script],
                environment: environment)
            uid = 65534
        } else {
            child = try startSimsh(["-c", script], home: home, environment: ["SIMSH_CORE_DUMPS": dumps])
            uid = getuid()
        }
        _ = child.waitForOutput("started", timeout: 60)
        return (child, uid)
    }

    /// Whether this kernel's /proc shows a process that made itself not dumpable as not its
    /// user's: a Python process that calls prctl(PR_SET_DUMPABLE, 0) itself, looked at.
    static func kernelShowsNotDumpable() throws -> Bool {
        let probe =
            "import ctypes, time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); print('started', flush=True); time.sleep(60)"
        let child: ChildProcess
        let uid: uid_t
        if geteuid() == 0 {
            child = try ChildProcess(
                "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", probe],
                environment: nobodyEnvironment)
            uid = 65534
        } else {
            child = try ChildProcess("/usr/bin/python3", ["-c", probe])
            uid = getuid()
        }
        defer { child.stop() }
        guard child.waitForOutput("started", timeout: 60) != nil else { return false }
        return procOwner(child.pid).map { $0 != uid } ?? false
    }

    /// PR_SET_DUMPABLE 0, seen from outside: /proc/PID of a running simsh is not its user's
    /// (and is, with SIMSH_CORE_DUMPS=1). Where the kernel's /proc does not show it for any
    /// process (a sandbox's), the test says so instead.
    @Test func aRunningSimshIsNotDumpable() throws {
        guard try Self.kernelShowsNotDumpable() else {
            print("not dumpable: this kernel's /proc does not show it for any process; not checked here")
            return
        }
        let home = TempDir()
        let hardened = try Self.runningSimsh(coreDumps: false, home: home)
        defer { hardened.child.stop() }
        #expect(hardened.child.stdout.contains("started"), "\(hardened.child.stderr)")
        let owner = Self.procOwner(hardened.child.pid)
        #expect(owner != nil && owner != hardened.uid, "/proc/\(hardened.child.pid): \(String(describing: owner))")
        // With SIMSH_CORE_DUMPS=1 it is its user's. Not measurable where that user cannot read
        // the binary (see binaryReadable).
        guard Self.binaryReadable else { return }
        let dumpable = try Self.runningSimsh(coreDumps: true, home: home)
        defer { dumpable.child.stop() }
        #expect(dumpable.child.stdout.contains("started"), "\(dumpable.child.stderr)")
        #expect(Self.procOwner(dumpable.child.pid) == dumpable.uid)
    }

    /// `simsh simulator --password-env VAR --api-key-env VAR`: the account is the variables'
    /// values, which the process list does not show; an unset variable is a usage error.
    @Test func theSimulatorTakesItsAccountFromTheEnvironment() throws {
        let home = TempDir()
        let password = "Sim-Env-Pw-41"
        let key = "SimEnvKey42x"
        let sim = try startSimsh(
            ["simulator", "--port", "0", "--user", "tester", "--password-env", "SIM_PW", "--api-key-env", "SIM_KEY"],
            home: home, environment: ["SIM_PW": password, "SIM_KEY": key])
        defer { sim.stop() }
        let url = try #require(sim.waitForOutput(#"http://127\.0\.0\.1:\d+"#, timeout: 60), "\(sim.stderr)")
        let shown = (try? String(contentsOfFile: "/proc/\(sim.pid)/cmdline", encoding: .utf8)) ?? ""
        #expect(shown.contains("SIM_PW") && !shown.contains(password) && !shown.contains(key), "\(shown)")
        let connect = "connect \(url) --user tester --password-env PW --api-key-env KEY; ping"
        let good = try spawnSimsh(["-c", connect], environment: ["PW": password, "KEY": key], home: home, timeout: 60)
        #expect(good.status == 0, "\(good.stderr)")
        let wrong = try spawnSimsh(
            ["-c", connect], environment: ["PW": "Not-The-Pw-43", "KEY": key], home: home, timeout: 60)
        #expect(wrong.status == 4, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("HTTP 401"), "\(wrong.stderr)")
        let unset = try spawnSimsh(
            ["simulator", "--port", "0", "--user", "tester", "--password-env", "NOT_SET_ANYWHERE_21"], home: home,
            timeout: 60)
        #expect(unset.status == 2, "\(unset.stderr)")
        #expect(unset.stderr.contains("NOT_SET_ANYWHERE_21 is not set"), "\(unset.stderr)")
    }

    /// Help pages, and the options on each whose value is a secret.
    static let secretOptionPages: [(words: [String], options: [String])] = [
        (["help", "connect"], ["--password", "--api-key"]),
        (["help", "profile", "save"], ["--password", "--api-key"]),
        (["help", "component", "call"], ["--password"]),
        (["help", "listen", "events"], ["--password"]),
        (["help", "simulate", "event"], ["--password"]),
        (["simulator", "--help"], ["--password", "--api-key"]),
        (["shell", "--help"], ["--secret"]),
        (["test", "--help"], ["--secret"]),
    ]

    /// Each entry of option `name` in a help page's OPTIONS: its line and the more indented lines
    /// under it (its description, wrapped), as one line of words.
    static func optionEntries(_ name: String, in help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        var entries: [String] = []
        var inOptions = false
        var i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, indent(line) == 0 { inOptions = trimmed.hasSuffix("OPTIONS:") }
            var label = Substring(trimmed)
            // `-p, --password <password>`: the short name dropped.
            if label.hasPrefix("-"), label.dropFirst(2).hasPrefix(", ") { label = label.dropFirst(4) }
            guard inOptions, indent(line) > 0, label == name || label.hasPrefix(name + " ") else { continue }
            var entry = [trimmed]
            while i < lines.count, indent(lines[i]) > indent(line),
                !lines[i].trimmingCharacters(in: .whitespaces).isEmpty
            {
                entry.append(lines[i])
                i += 1
            }
            entries.append(entry.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        return entries
    }

    @Test(arguments: secretOptionPages)
    func anOptionThatTakesASecretSaysItShowsInTheProcessList(_ page: (words: [String], options: [String])) throws {
        let r = try spawnSimsh(page.words, home: TempDir(), timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        for option in page.options {
            let entries = Self.optionEntries(option, in: r.stdout)
            #expect(!entries.isEmpty, "\(page.words): no \(option) in\n\(r.stdout)")
            for entry in entries { #expect(entry.contains("process list"), "\(page.words): \(entry)") }
        }
    }
}
