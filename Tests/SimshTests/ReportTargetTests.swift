import Foundation
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

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
