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
