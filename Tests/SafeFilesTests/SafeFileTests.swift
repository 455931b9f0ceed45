import Foundation
import SafeFiles
import SimshTesting
import Testing

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// SafeFile on its own: a regular file replaced whole with its mode, a FIFO written in place
/// (never renamed over), what is absent read as nil, a link planted in a sticky directory by
/// another user refused (SimshTests covers the callers: reports, history, the event log).
@Suite struct SafeFileTests {
    @Test func aRegularFileIsReplacedWholeWithItsMode() throws {
        let dir = TempDir()
        let path = dir.file("report.xml")
        try SafeFile.write(Array("old, longer text\n".utf8), to: path)
        try SafeFile.write(Array("new\n".utf8), to: path, mode: 0o640)
        #expect(try SafeFile.read(path) == Array("new\n".utf8))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.xml"])
        #expect(try SafeFile.read(dir.file("absent")) == nil)
    }

    @Test func aFIFOStaysAFIFO() throws {
        let dir = TempDir()
        let fifo = dir.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // A reader that holds the FIFO open (read-write, so opening never blocks).
        let reader = open(fifo, O_RDWR | O_NONBLOCK)
        defer { close(reader) }
        try SafeFile.write(Array("through\n".utf8), to: fifo)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(reader, &buffer, buffer.count)
        #expect(n == 8 && String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self) == "through\n")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func aWriterLeavesTheOldFileUntilItCommits() throws {
        let dir = TempDir()
        let path = dir.file("out")
        try SafeFile.write(Array("kept\n".utf8), to: path)
        let writer = try SafeFile.Writer(path: path)
        try Array("half".utf8).withUnsafeBytes { try writer.write($0) }
        #expect(try SafeFile.read(path) == Array("kept\n".utf8))
        writer.abandon()
        #expect(try SafeFile.read(path) == Array("kept\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
    }
}
