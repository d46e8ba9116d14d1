import DVSFiles
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ReadFile`: reading errors say why (permission denied is not "no such file").
final class ReadFileTests: FileTestCase {
    func testTextAndBytes() throws {
        writeFile(folder + "/a.txt", "héllo\n")
        XCTAssertEqual(try ReadFile.text(folder + "/a.txt"), "héllo\n")
        XCTAssertEqual(try ReadFile(path: folder + "/a.txt").size, 7)
        XCTAssertEqual(
            errorText { _ = try ReadFile.bytes(self.folder + "/a.txt", limit: 3) },
            "cannot read '\(folder)/a.txt': it is 7 bytes, more than the 3-byte limit")
        _ = FileManager.default.createFile(atPath: folder + "/bin", contents: Data([0xff, 0xfe, 0x00]))
        XCTAssertEqual(errorText { _ = try ReadFile.text(self.folder + "/bin") }, "cannot read '\(folder)/bin': it is not UTF-8 text")
        XCTAssertEqual(symlink("a.txt", folder + "/link"), 0)
        XCTAssertEqual(try ReadFile.text(folder + "/link"), "héllo\n", "links are followed")
    }

    func testErrorsSayWhy() throws {
        XCTAssertEqual(errorText { _ = try ReadFile.text(self.folder + "/missing.txt") }, "cannot read '\(folder)/missing.txt': no such file")
        XCTAssertEqual(errorText { _ = try ReadFile.text(self.folder) }, "cannot read '\(folder)': it is a folder")
        XCTAssertEqual(errorText { _ = try ReadFile.text("") }, "cannot read: the file path is empty")
        writeFile(folder + "/plain", "x")
        XCTAssertEqual(
            errorText { _ = try ReadFile.text(self.folder + "/plain/x.dvs") },
            "cannot read '\(folder)/plain/x.dvs': '\(folder)/plain' is not a folder")
        // A FIFO would block until a writer comes: refused at once.
        XCTAssertEqual(mkfifo(folder + "/pipe", 0o644), 0)
        XCTAssertEqual(
            errorText { _ = try ReadFile.text(self.folder + "/pipe") },
            "cannot read '\(folder)/pipe': it is a named pipe (FIFO), not a regular file")
        XCTAssertEqual(
            errorText { _ = try ReadFile.bytes("/dev/zero") },
            "cannot read '/dev/zero': it is a character device, not a regular file")
    }

    func testUnreadableFileIsPermissionDenied() throws {
        let secret = folder + "/secret.txt"
        writeFile(secret, "x", mode: 0o000)
        try withoutRoot {
            XCTAssertEqual(errorText { _ = try ReadFile.text(secret) }, "cannot read '\(secret)': permission denied")
        }
    }

    func testStreamPathsAreReadDirectly() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]) }
        _ = write(ends[1], "from a pipe", 11)
        close(ends[1])
        let file = try ReadFile(path: "/dev/fd/\(ends[0])")
        XCTAssertNil(file.size)
        XCTAssertEqual(String(decoding: try file.readAll(), as: UTF8.self), "from a pipe")
    }
}
