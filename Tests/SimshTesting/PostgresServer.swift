import Foundation

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A real PostgreSQL server for tests, from Debian's packages (`scripts/setup --tests` installs
/// them): the newest `/usr/lib/postgresql/N/bin`, a cluster made by initdb in a temporary
/// directory, listening on 127.0.0.1 and a socket in that directory. Its superuser `simsh` has a
/// password over TCP (scram-sha-256), so that tests see a wrong one refused. PostgreSQL refuses
/// to run as root: a root test process runs initdb and postgres as the `postgres` user (Debian's
/// package makes it) through util-linux's setpriv. One server serves a whole test run (each
/// test its own database); it is killed, and its directory removed, when the run ends.
package final class PostgresServer: @unchecked Sendable {
    package static let user = "simsh"
    package static let password = "simsh-test-password"

    package let port: Int
    let bin: String
    let dir: TempDir
    let process: ChildProcess

    private init(port: Int, bin: String, dir: TempDir, process: ChildProcess) {
        self.port = port
        self.bin = bin
        self.dir = dir
        self.process = process
    }

    deinit { stop() }

    /// The run's server, started on first use, or why it could not be.
    package static let shared: Result<PostgresServer, SpawnError> = {
        do {
            let server = try PostgresServer.start()
            PostgresServer.atExitLock.withLock { PostgresServer.atExit = (server.process.pid, server.dir.path) }
            atexit { PostgresServer.cleanUpAtExit() }
            return .success(server)
        } catch let error as SpawnError {
            return .failure(error)
        } catch {
            return .failure(SpawnError(message: "cannot start PostgreSQL: \(error)"))
        }
    }()

    /// The run's server; a test fails with the reason when there is none (a missing package is
    /// a failure, not a skip: SIMSH_SKIP_POSTGRES=1 leaves these tests out on purpose).
    package static func forTests() throws -> PostgresServer {
        try shared.get()
    }

    /// SIMSH_SKIP_POSTGRES=1: the PostgreSQL tests are left out.
    package static var skipped: Bool {
        ProcessInfo.processInfo.environment["SIMSH_SKIP_POSTGRES"] == "1"
    }

    /// `postgresql://simsh@127.0.0.1:PORT/DATABASE`.
    package func url(_ database: String, user: String = PostgresServer.user) -> String {
        "postgresql://\(user)@127.0.0.1:\(port)/\(database)"
    }

    /// A new, empty database owned by `simsh`; its URL.
    package func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.prefix(8).lowercased()
        try psql("CREATE DATABASE \(name)")
        return url(name)
    }

    /// Runs SQL as `simsh` over TCP with psql; its rows, unaligned, without headers.
    @discardableResult
    package func psql(_ sql: String, database: String = "postgres") throws -> String {
        var env = Self.environment()
        env["PGPASSWORD"] = Self.password
        let arguments = [
            "-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", Self.user,
            "-d", database, "-c", sql,
        ]
        let child = try ChildProcess(bin + "/psql", arguments, environment: env)
        child.closeStdin()
        let status = child.wait(timeout: 60)
        guard status == 0 else { throw SpawnError(message: "psql -c '\(sql)' failed (\(status)): \(child.stderr)") }
        return child.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An immediate shutdown (SIGQUIT), then the process group killed if need be.
    package func stop() {
        if process.isRunning {
            kill(process.pid, SIGQUIT)
            process.waitFor(timeout: 10) { !process.isRunning }
        }
        process.stop()
    }

    // MARK: Starting

    static func start() throws -> PostgresServer {
        guard let bin = binDirectory() else {
            throw SpawnError(
                message: "PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/postgres): "
                    + "run scripts/setup --tests, or set SIMSH_SKIP_POSTGRES=1 to leave these tests out")
        }
        let account = try Account.forServer()
        let dir = TempDir()
        let data = dir.file("data")
        let sockets = dir.file("run")
        let passwordFile = dir.file("password")
        try prepare(dir, paths: [data, sockets], passwordFile: passwordFile, account: account)
        try run(
            account, bin + "/initdb",
            [
                "-D", data, "-U", user, "--pwfile=" + passwordFile, "--auth-local=trust",
                "--auth-host=scram-sha-256", "--no-locale", "-E", "UTF8", "--no-sync",
            ])
        // PostgreSQL cannot be given port 0 and say which it took: a port free a moment ago,
        // again with another when another process took it meanwhile.
        var problems: [String] = []
        for _ in 0..<5 {
            let port = freePort()
            let arguments = [
                "-D", data, "-k", sockets, "-h", "127.0.0.1", "-p", "\(port)", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
                "-c", "shared_buffers=32MB",
            ]
            let (path, args) = account.command(bin + "/postgres", arguments)
            let child = try ChildProcess(path, args, environment: environment())
            child.closeStdin()
            if child.waitForOutput("ready to accept connections", timeout: 60, onStandardError: true) != nil {
                return PostgresServer(port: port, bin: bin, dir: dir, process: child)
            }
            let said = child.stderr
            child.stop()
            problems.append(lastLines(said))
            let portTaken = ["could not bind", "already in use", "could not create any TCP/IP sockets"]
            guard portTaken.contains(where: { said.contains($0) }) else { break }
        }
        throw SpawnError(message: "PostgreSQL did not start: " + problems.joined(separator: " / "))
    }

    /// The newest `/usr/lib/postgresql/N/bin` holding initdb, postgres and psql.
    static func binDirectory() -> String? {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap { Int($0) }
        for version in versions.sorted(by: >) {
            let dir = "\(base)/\(version)/bin"
            if ["initdb", "postgres", "psql"].allSatisfy({ access(dir + "/" + $0, X_OK) == 0 }) { return dir }
        }
        return nil
    }

    /// The data and socket directories (0700) and the password file initdb reads, owned by the
    /// account the server runs as.
    static func prepare(_ dir: TempDir, paths: [String], passwordFile: String, account: Account) throws {
        for path in paths {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        chmod(passwordFile, 0o600)
        guard let owner = account.owner else { return }
        // The account must reach the directories inside: through every directory above (a
        // TMPDIR under /root would stop it) and this one.
        var above = (dir.path as NSString).deletingLastPathComponent
        while above.count > 1 {
            var st = stat()
            if stat(above, &st) == 0, st.st_mode & 0o001 == 0 {
                throw SpawnError(
                    message: "the postgres user cannot reach \(dir.path) (\(above) is closed to it): "
                        + "set TMPDIR to a directory it can reach, such as /tmp")
            }
            above = (above as NSString).deletingLastPathComponent
        }
        chmod(dir.path, 0o755)
        for path in paths + [passwordFile] where chown(path, owner.uid, owner.gid) != 0 {
            throw SpawnError(message: "cannot give \(path) to the postgres user: \(String(cString: strerror(errno)))")
        }
    }

    /// Runs a program of the server's to its end (up to 2 minutes); fails with what it said.
    static func run(_ account: Account, _ program: String, _ arguments: [String]) throws {
        let (path, args) = account.command(program, arguments)
        let child = try ChildProcess(path, args, environment: environment())
        child.closeStdin()
        let status = child.wait(timeout: 120)
        guard status == 0 else {
            let name = (program as NSString).lastPathComponent
            throw SpawnError(message: "\(name) failed (status \(status)): \(lastLines(child.stderr + child.stdout))")
        }
    }

    /// The test process's environment without PG* variables, which would redirect psql.
    static func environment() -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
    }

    static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: " | ")
    }

    /// Who runs the server: the test process itself, or (as root) the `postgres` user.
    struct Account {
        var owner: (uid: uid_t, gid: gid_t)?

        static func forServer() throws -> Account {
            guard geteuid() == 0 else { return Account(owner: nil) }
            guard let entry = getpwnam("postgres") else {
                throw SpawnError(
                    message: "the tests run as root, which PostgreSQL refuses, and there is no postgres user "
                        + "to run it as: run scripts/setup --tests (Debian's postgresql package makes it)")
            }
            return Account(owner: (entry.pointee.pw_uid, entry.pointee.pw_gid))
        }

        /// The program and its arguments, through setpriv when run as the postgres user.
        func command(_ program: String, _ arguments: [String]) -> (String, [String]) {
            guard owner != nil else { return (program, arguments) }
            return ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program] + arguments)
        }
    }

    // MARK: At exit

    nonisolated(unsafe) private static var atExit: (pid: pid_t, path: String)?
    private static let atExitLock = NSLock()

    /// The shared server outlives every test: killed with its backends, its directory removed.
    static func cleanUpAtExit() {
        atExitLock.withLock {
            guard let server = atExit else { return }
            kill(-server.pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(server.pid, &status, 0)
            try? FileManager.default.removeItem(atPath: server.path)
            atExit = nil
        }
    }
}
