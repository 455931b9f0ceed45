import Foundation
import SimshTesting
import Testing

@testable import SafeFiles
@testable import SimotelSimulator
@testable import SimotelWebhooks
@testable import SimshLanguage
@testable import SimshRuntime

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Issue 21, points 2 and 9: writing a file never replaces what is at the path — a FIFO, a device
/// or stdout is written in place, a symbolic link another user planted in a sticky directory is
/// refused — and what a killed writer left behind is cleared by the next write.
@Suite struct SafeFilesTests {
    static let isRoot = geteuid() == 0

    @Test func aFIFOStaysAFIFOAndItsReaderGetsTheText() throws {
        let dir = TempDir()
        let fifo = dir.file("report.tap")
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = NIOLockedBox<String>("")
        let reader = Thread {
            // Read to the end with plain reads (Foundation may stop at a FIFO's size of 0).
            let fd = open(fifo, O_RDONLY)
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while fd >= 0 {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            if fd >= 0 { close(fd) }
            received.set(String(decoding: bytes, as: UTF8.self))
        }
        reader.start()
        try AtomicFile.write("TAP version 13\n1..0\n", to: fifo, mode: 0o644)
        let deadline = Date().addingTimeInterval(20)
        while received.get().isEmpty && Date() < deadline { usleep(10_000) }
        #expect(received.get() == "TAP version 13\n1..0\n")
        var st = stat()
        #expect(lstat(fifo, &st) == 0)
        #expect(st.st_mode & S_IFMT == S_IFIFO)
    }

    @Test(.enabled(if: isRoot, "mknod needs root")) func aDeviceNodeStaysADevice() throws {
        let dir = TempDir()
        let node = dir.file("null")
        // The same device as /dev/null (1, 3): written to, it discards.
        guard mknod(node, S_IFCHR | 0o666, dev_t(0x103)) == 0 else {
            // A container may refuse mknod even to root: nothing to check then.
            return
        }
        try AtomicFile.write("<testsuites/>\n", to: node, mode: 0o644)
        var st = stat()
        #expect(lstat(node, &st) == 0)
        #expect(st.st_mode & S_IFMT == S_IFCHR)
        try AtomicFile.write("x", to: "/dev/null", mode: 0o644)
        #expect(lstat("/dev/null", &st) == 0)
        #expect(st.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func standardStreamsAreTheirDescriptors() throws {
        #expect(try SafePath.target("/dev/stdout") == .descriptor(1))
        #expect(try SafePath.target("/dev/stderr") == .descriptor(2))
        #expect(try SafePath.target("/dev/fd/2") == .descriptor(2))
        #expect(try SafePath.target("/dev/null") == .inPlace("/dev/null"))
        // Written where the descriptor stands: what the file held before stays.
        let dir = TempDir()
        let log = dir.file("console.log")
        let fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        _ = "before\n".withCString { write(fd, $0, 7) }
        try AtomicFile.write("report\n", to: "/dev/fd/\(fd)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "before\nreport\n")
    }

    @Test func aRegularFileIsReplacedAndALinkOfTheUsersIsFollowed() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("dotfiles"), withIntermediateDirectories: true)
        try "old".write(toFile: dir.file("dotfiles/config.toml"), atomically: false, encoding: .utf8)
        // A stow-managed config: the link stays, the file it names is replaced.
        #expect(symlink("dotfiles/config.toml", dir.file("config.toml")) == 0)
        try AtomicFile.write("new\n", to: dir.file("config.toml"))
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("config.toml")) == "dotfiles/config.toml"
        )
        #expect(try String(contentsOfFile: dir.file("dotfiles/config.toml"), encoding: .utf8) == "new\n")
    }

    @Test(.enabled(if: isRoot, "planting another user's link needs root"))
    func aLinkOfAnotherUserInAStickyDirectoryIsRefused()
        throws
    {
        let dir = TempDir()
        let sticky = dir.file("tmp")
        try FileManager.default.createDirectory(atPath: sticky, withIntermediateDirectories: true)
        #expect(chmod(sticky, 0o1777) == 0)
        let precious = dir.file("precious")
        try "keep me\n".write(toFile: precious, atomically: false, encoding: .utf8)
        let planted = sticky + "/report.xml"
        #expect(symlink(precious, planted) == 0)
        #expect(lchown(planted, 65534, 65534) == 0)
        #expect(throws: SimshError.self) { try AtomicFile.write("<testsuites/>", to: planted) }
        do {
            try AtomicFile.write("<testsuites/>", to: planted)
        } catch let e as SimshError {
            #expect(e.message.contains("symbolic link of another user"), "\(e.message)")
        }
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == "keep me\n")
        // Also as a directory on the way, and for the event log's open.
        #expect(throws: FileProblem.self) { try SafePath.resolve(planted + "/../x") }
        // `listen events --log` opens under the same rule.
        #expect(throws: (any Error).self) { try EventLog(path: planted) }
        // The directory's owner's link, or one's own, is followed.
        #expect(lchown(planted, 0, 0) == 0)
        try AtomicFile.write("mine\n", to: planted)
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == "mine\n")
    }

    @Test func leftoversOfGoneWritersAreRemovedAndALiveWritersKept() throws {
        let dir = TempDir()
        let target = dir.file("config.toml")
        let gone = dir.file(".config.toml.tmp.2147483600.12345")  // no such pid
        let live = dir.file(".config.toml.tmp.\(getpid()).777")
        let old = dir.file(".config.toml.tmp.\(getpid()).888")
        let other = dir.file(".history.tmp.2147483600.1")  // another file's: not ours to clear
        for path in [gone, live, old, other] { try "secret".write(toFile: path, atomically: false, encoding: .utf8) }
        var times = [timeval(tv_sec: time(nil) - 7200, tv_usec: 0), timeval(tv_sec: time(nil) - 7200, tv_usec: 0)]
        #expect(utimes(old, &times) == 0)
        try AtomicFile.write("x = 1\n", to: target)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == [".config.toml.tmp.\(getpid()).777", ".history.tmp.2147483600.1", "config.toml"])
    }

    @Test func pipesAndDevicesAreReadToTheirEnd() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        let text = "echo from a pipe\n"
        _ = text.withCString { write(fds[1], $0, strlen($0)) }
        close(fds[1])
        defer { close(fds[0]) }
        #expect(try AtomicFile.read("/dev/fd/\(fds[0])") == text)
        #expect(try AtomicFile.read("/dev/null") == "")
        #expect(try AtomicFile.read(TempDir().file("none")) == nil)
    }

    @Test func aHistoryFileOfDevNullIsOff() throws {
        let store = HistoryStore(path: "/dev/null")
        #expect(store.isOff)
        #expect(try store.record("echo hi") == "echo hi")
        #expect(try store.entries().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/dev/null.lock"))
    }
}

/// A value shared with a thread, under a lock.
final class NIOLockedBox<T: Sendable>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func get() -> T { lock.withLock { value } }
    func set(_ v: T) { lock.withLock { value = v } }
}

extension SpawningTests {
    /// The issue's check, end to end: `simsh test` writing its reports to a device node, a FIFO
    /// and stdout — as root (CI) and, where the tests run as root, as an unprivileged user too.
    @Suite struct ReportTargetTests {
        static func checks(in home: TempDir) throws -> String {
            let dir = home.file("checks")
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try "expect 1 == 1\n".write(toFile: dir + "/a.simsh", atomically: false, encoding: .utf8)
            try "expect 1 == 2\n".write(toFile: dir + "/b.simsh", atomically: false, encoding: .utf8)
            return dir
        }

        /// TAP as Perl's TAP::Parser reads it: the plan, the number of tests and of failures.
        static func parsedTAP(_ text: String) throws -> String {
            let perl = try ChildProcess(
                "perl",
                [
                    "-MTAP::Parser", "-e",
                    #"local $/; my $p = TAP::Parser->new({tap => <STDIN>}); while (my $r = $p->next) {} "#
                        + #"printf "plan=%s tests=%d failed=%d errors=%d\n", $p->plan, $p->tests_run, "#
                        + #"scalar($p->failed), scalar($p->parse_errors);"#,
                ])
            perl.writeStdin(text)
            perl.closeStdin()
            _ = perl.wait(timeout: 30)
            return perl.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test func devicesFIFOsAndStdoutKeepWhatTheyAre() throws {
            let home = TempDir()
            let dir = try Self.checks(in: home)
            let fifo = home.file("report.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            // The FIFO's reader: a process of its own, as a CI step reading it would be.
            let reader = try ChildProcess("cat", [fifo])
            var node = home.file("null-node")
            if geteuid() != 0 || mknod(node, S_IFCHR | 0o666, dev_t(0x103)) != 0 { node = "/dev/null" }
            let r = try spawnSimsh(
                ["test", dir, "--report-junit", node, "--report-tap", fifo], home: home)
            #expect(r.status == 1, "\(r.stderr)")
            _ = reader.wait(timeout: 30)
            #expect(try Self.parsedTAP(reader.stdout) == "plan=1..2 tests=2 failed=1 errors=0", "\(reader.stdout)")
            var st = stat()
            #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
            #expect(lstat(node, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
            // /dev/stdout: the TAP is in the output, after what simsh printed before it.
            let out = try spawnSimsh(["test", dir, "--report-tap", "/dev/stdout"], home: home)
            #expect(out.status == 1)
            let tap = try #require(out.stdout.range(of: "TAP version 13"))
            #expect(out.stdout[..<tap.lowerBound].contains("Executed files"), "\(out.stdout)")
            #expect(try Self.parsedTAP(String(out.stdout[tap.lowerBound...])) == "plan=1..2 tests=2 failed=1 errors=0")
        }

        /// As a normal user /dev/null and /dev/stdout work (they were "permission denied": the
        /// temporary file could not be made in /dev).
        @Test(.enabled(if: SafeFilesTests.isRoot, "needs root to become another user"))
        func anUnprivilegedUserWritesToDevNullAndStdout() throws {
            let home = TempDir()
            let dir = try Self.checks(in: home)
            chmod(home.path, 0o755)
            let child = try ChildProcess(
                "setpriv",
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", simshBinary, "test", dir,
                    "--report-junit", "/dev/null", "--report-tap", "/dev/stdout",
                ],
                environment: [
                    "HOME": "/nonexistent", "SIMSH_HISTFILE": "/dev/null", "SIMSH_CONFIG": "/nonexistent/config.toml",
                    "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
                ])
            let status = child.wait(timeout: 60)
            #expect(status == 1, "\(child.stderr)")
            #expect(!child.stderr.contains("permission denied"), "\(child.stderr)")
            #expect(child.stdout.contains("TAP version 13\n1..2\n"), "\(child.stdout)")
            var st = stat()
            #expect(lstat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)

            // A link of another user (root's) in a sticky directory of a third user's: refused to
            // the unprivileged user too, and what it names (a file that user may write) kept.
            let sticky = home.file("shared-tmp")
            try FileManager.default.createDirectory(atPath: sticky, withIntermediateDirectories: true)
            #expect(chown(sticky, 65533, 65533) == 0 && chmod(sticky, 0o1777) == 0)
            let target = home.file("writable-by-nobody")
            try "keep\n".write(toFile: target, atomically: false, encoding: .utf8)
            #expect(chmod(target, 0o666) == 0)
            #expect(symlink(target, sticky + "/report.tap") == 0)
            let refused = try ChildProcess(
                "setpriv",
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", simshBinary, "test", dir,
                    "--report-tap", sticky + "/report.tap",
                ],
                environment: [
                    "HOME": "/nonexistent", "SIMSH_HISTFILE": "/dev/null", "SIMSH_CONFIG": "/nonexistent/config.toml",
                    "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
                ])
            _ = refused.wait(timeout: 60)
            #expect(refused.stderr.contains("symbolic link of another user"), "\(refused.stderr)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        }

        /// Scripts read from pipes: `simsh <(…)` and `simsh test <(…)`.
        @Test func scriptsAreReadFromPipes() throws {
            let home = TempDir()
            let run = try ChildProcess(
                "bash", ["-c", #""$0" <(echo 'echo from-a-pipe') && "$0" test <(echo 'expect 1 == 1')"#, simshBinary],
                environment: [
                    "HOME": home.path, "SIMSH_HISTFILE": "/dev/null", "SIMSH_CONFIG": home.file("config.toml"),
                    "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
                ])
            #expect(run.wait(timeout: 60) == 0, "\(run.stderr)")
            #expect(run.stdout.contains("from-a-pipe"), "\(run.stdout)")
            #expect(run.stdout.contains("Succeeded files: 1"), "\(run.stdout)")
            #expect(!FileManager.default.fileExists(atPath: "/dev/null.lock"))
        }
    }
}

/// What the review of the first cut found: a directory swapped for a link after the check, and
/// dates no instant has.
@Suite struct SafeFilesRaceTests {
    /// Writing goes through directories opened one name at a time with O_NOFOLLOW: a link in
    /// place of a checked directory (swapped in after `SafePath` looked) is refused.
    @Test func aDirectorySwappedForALinkIsNotFollowed() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.file("elsewhere"), withIntermediateDirectories: true)
        #expect(symlink(dir.file("elsewhere"), dir.file("ci")) == 0)
        #expect(throws: FileProblem.self) {
            _ = try SafeFiles.Directory(dir.file("ci"), create: false, verb: "write", for: "ci/report.xml")
        }
        _ = try SafeFiles.Directory(dir.file("elsewhere"), create: false, verb: "write", for: "x")
        // Made when missing, private.
        let made = try SafeFiles.Directory(dir.file("new/deeper"), create: true, verb: "write", for: "x")
        #expect(made.readable)
        var st = stat()
        #expect(stat(dir.file("new/deeper"), &st) == 0 && st.st_mode & 0o777 == 0o700)
    }

    /// A log at /dev/stdout when stdout is a file: the descriptor itself, where it stands.
    @Test func aLogAtADescriptorIsThatDescriptor() throws {
        let dir = TempDir()
        let fd = open(dir.file("out"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        let log = try SafeFile.openForAppending("/dev/fd/\(fd)", flags: O_CREAT)
        defer { close(log) }
        var a = stat()
        var b = stat()
        #expect(fstat(fd, &a) == 0 && fstat(log, &b) == 0 && a.st_ino == b.st_ino)
    }

    @Test func extendedDatesOutsideJavaScriptsRangeNameNoInstant() {
        for text in ["1e30", "nan", "inf", "-9e15"] {
            #expect(SimotelDates.instant(.object([("$date", .object([("$numberLong", .string(text))]))])) == nil)
        }
        #expect(SimotelDates.instant(.object([("$date", .object([("$numberLong", .string("1700000000000"))]))])) != nil)
    }
}

/// Secrets in the forms the review found unmasked: a URL whose query holds `=`, and a word that
/// mixes a secret with a variable.
@Suite struct SecretWordTests {
    @Test(arguments: [
        (#"connect "https://admin:Pa55w0rd@pbx.example.com/?x=1""#, "Pa55w0rd"),
        (#"connect https://pbx.example.com/hook?token=abcd1234&page=2"#, "abcd1234"),
        (#"connect "https://admin:Pa55w0rd@$HOST""#, "Pa55w0rd"),
        (#"connect http://h --password "Pa55w0rd$SUFFIX""#, "Pa55w0rd"),
        (#"echo "password=Pa55w0rd$X""#, "Pa55w0rd"),
    ])
    func theHistoryHoldsNoSecret(_ line: String, _ secret: String) throws {
        let stored = try #require(HistoryStore.entry(for: line))
        #expect(!stored.contains(secret), "\(stored)")
        #expect(stored.contains("****"), "\(stored)")
        // The masked line is never sent as if it held the secret.
        let words = try #require(try Lexer.parse(stored, file: "-").first).words.map {
            (try? $0.expanded { _ in "" }) ?? ""
        }
        #expect(Redactor.maskedSecret(in: words) != nil, "\(words)")
    }

    @Test func aVariableAloneStaysAsTyped() throws {
        #expect(HistoryStore.entry(for: #"connect http://h --password "$PW""#) == #"connect http://h --password "$PW""#)
        #expect(HistoryStore.entry(for: #"connect "https://$USER@$HOST/""#) == #"connect "https://$USER@$HOST/""#)
    }

    /// Recorded, a mixed word with a secret in its text is kept only as a masked comment.
    @Test func aRecordingRefusesAMixedWordWithASecret() async throws {
        let t = TestSession()
        let path = t.dir.file("rec.simsh")
        t.session.recorder = try Recorder(path: path)
        t.session.recordEntry(#"echo "https://admin:Pa55w0rd@$HOST""#, status: 0)
        t.session.recordEntry(#"echo "plain $HOST""#, status: 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("Pa55w0rd"), "\(text)")
        #expect(text.contains("# not recorded"), "\(text)")
        #expect(text.contains(#"echo "plain $HOST""#), "\(text)")
    }
}
