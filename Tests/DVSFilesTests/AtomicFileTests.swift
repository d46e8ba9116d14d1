import DVSFiles
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `AtomicFile`: what writing does for each kind of path (issue 9, "never
/// replace what is not ours").
final class AtomicFileTests: FileTestCase {
    func names() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder).sorted()) ?? [] }

    func testNewAndExistingFilesAreReplacedWhole() throws {
        let p = folder + "/a.txt"
        let file = try AtomicFile(path: p)
        XCTAssertEqual(file.method, .replace)
        try file.write(Array("one".utf8))
        XCTAssertNil(contents(p), "nothing appears before commit")
        try file.commit()
        XCTAssertEqual(contents(p), "one")
        try AtomicFile.write(Array("two".utf8), to: p)
        XCTAssertEqual(contents(p), "two")
        XCTAssertEqual(names(), ["a.txt"], "no temporary files stay behind")

        // A failed write leaves the old file and no temporary file.
        let failed = try AtomicFile(path: p)
        try failed.write(Array("half".utf8))
        failed.discard()
        XCTAssertEqual(contents(p), "two")
        XCTAssertEqual(names(), ["a.txt"])
    }

    func testSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws {
        writeFile(folder + "/target.txt", "old")
        XCTAssertEqual(symlink("target.txt", folder + "/link"), 0)
        try AtomicFile.write(Array("new".utf8), to: folder + "/link")
        XCTAssertEqual(fileMode(folder + "/link", followingLinks: false) & S_IFMT, S_IFLNK, "the link stays a link")
        XCTAssertEqual(contents(folder + "/target.txt"), "new")
        XCTAssertEqual(names(), ["link", "target.txt"])
    }

    func testChainsOfLinksAcrossFoldersAndDanglingLinks() throws {
        // first → sub/second → ../final.txt (relative links resolve against their own folder).
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        writeFile(folder + "/final.txt", "old")
        XCTAssertEqual(symlink("../final.txt", folder + "/sub/second"), 0)
        XCTAssertEqual(symlink(folder + "/sub/second", folder + "/first"), 0)
        try AtomicFile.write(Array("new".utf8), to: folder + "/first")
        XCTAssertEqual(contents(folder + "/final.txt"), "new")
        XCTAssertEqual(fileMode(folder + "/first", followingLinks: false) & S_IFMT, S_IFLNK)
        XCTAssertEqual(fileMode(folder + "/sub/second", followingLinks: false) & S_IFMT, S_IFLNK)

        // A dangling link creates the file it names.
        XCTAssertEqual(symlink("made.txt", folder + "/dangling"), 0)
        try AtomicFile.write(Array("made".utf8), to: folder + "/dangling")
        XCTAssertEqual(contents(folder + "/made.txt"), "made")
        XCTAssertEqual(fileMode(folder + "/dangling", followingLinks: false) & S_IFMT, S_IFLNK)

        // A loop of links is an error, not a hang.
        XCTAssertEqual(symlink("loop2", folder + "/loop1"), 0)
        XCTAssertEqual(symlink("loop1", folder + "/loop2"), 0)
        XCTAssertEqual(
            errorText { try AtomicFile.write([1], to: self.folder + "/loop1") },
            "cannot write '\(folder)/loop1': too many levels of symbolic links")
    }

    func testModeAndOwnerAreKept() throws {
        let readOnly = folder + "/ro.txt"
        writeFile(readOnly, "old", mode: 0o444)
        try AtomicFile.write(Array("new".utf8), to: readOnly)
        XCTAssertEqual(contents(readOnly), "new")
        XCTAssertEqual(fileMode(readOnly) & 0o7777, 0o444, "444 stays 444")
        let secret = folder + "/secret.txt"
        writeFile(secret, "old", mode: 0o640)
        try AtomicFile.write(Array("new".utf8), to: secret)
        XCTAssertEqual(fileMode(secret) & 0o7777, 0o640)

        // Only root may give a file to another owner; as root the owner is kept.
        guard geteuid() == 0 else { return }
        chown(secret, unprivileged, unprivileged)
        try AtomicFile.write(Array("newer".utf8), to: secret)
        var st = stat()
        stat(secret, &st)
        XCTAssertEqual([st.st_uid, st.st_gid], [unprivileged, unprivileged], "owner and group kept")
        XCTAssertEqual(st.st_mode & 0o7777, 0o640)
    }

    func testPathsThatAreNotRegularFilesAreRefused() throws {
        let fifo = folder + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertEqual(
            errorText { try AtomicFile.write([1], to: fifo) },
            "cannot write '\(fifo)': it is a named pipe (FIFO), not a regular file (only /dev/stdout, /dev/stderr and /dev/fd/N are written as streams)")
        XCTAssertEqual(fileMode(fifo) & S_IFMT, S_IFIFO, "still a FIFO")

        // A character device: root makes one like /dev/full here (so a regression
        // cannot replace the real one); others use /dev/full itself.
        var device = "/dev/full"
        let full = dev_t(1 << 8 | 7)  // makedev(1, 7)
        if geteuid() == 0, mknod(folder + "/full", S_IFCHR | 0o666, full) == 0 { device = folder + "/full" }
        XCTAssertEqual(
            errorText { try AtomicFile.write(Array("a".utf8), to: device) },
            "cannot write '\(device)': it is a character device, not a regular file (only /dev/stdout, /dev/stderr and /dev/fd/N are written as streams)")
        XCTAssertEqual(fileMode(device) & S_IFMT, S_IFCHR, "still a character device")

        // Through a link the refusal names the path given.
        XCTAssertEqual(symlink(device, folder + "/to-device"), 0)
        XCTAssertTrue(errorText { try AtomicFile.write([1], to: self.folder + "/to-device") }.contains("it is a character device"))

        XCTAssertEqual(errorText { try AtomicFile.write([1], to: self.folder) }, "cannot write '\(folder)': it is a folder")
        XCTAssertEqual(
            errorText { try AtomicFile.write([1], to: self.folder + "/new/") },
            "cannot write '\(folder)/new/': a file name cannot end with '/'")
        XCTAssertEqual(errorText { try AtomicFile.write([1], to: "") }, "cannot write: the file path is empty")
        XCTAssertEqual(names().filter { $0.contains(".tmp-") }, [], "no temporary files stay behind")
    }

    func testStreamPathsAreWrittenDirectly() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]) }
        let file = try AtomicFile(path: "/dev/fd/\(ends[1])")
        XCTAssertEqual(file.method, .stream)
        try file.write(Array("through the pipe".utf8))
        try file.commit()
        close(ends[1])  // the writer's copy was closed by commit; this ends the stream
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(ends[0], &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[0..<max(n, 0)], as: UTF8.self), "through the pipe")

        // A full device reached through its descriptor: the system's reason.
        let full = open("/dev/full", O_WRONLY)
        if full >= 0 {
            defer { close(full) }
            XCTAssertEqual(
                errorText { try AtomicFile.write([1], to: "/dev/fd/\(full)") },
                "cannot write '/dev/fd/\(full)': write failed: no space left on the device")
        }
        XCTAssertEqual(
            errorText { try AtomicFile.write([1], to: "/dev/fd/987") },
            "cannot write '/dev/fd/987': file descriptor 987 is not open")
        XCTAssertEqual(StreamPath.descriptor("/dev/stdout"), 1)
        XCTAssertEqual(StreamPath.descriptor("/dev/stderr"), 2)
        XCTAssertNil(StreamPath.descriptor("/dev/null"))
        XCTAssertNil(StreamPath.descriptor("/dev/fd/x"))
    }

    func testReadOnlyFolderWithWritableFileIsRewrittenInPlace() throws {
        let locked = folder + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        let p = locked + "/notes.txt"
        writeFile(p, "old and longer", mode: 0o666)
        chmod(locked, 0o555)
        try withoutRoot {
            let file = try AtomicFile(path: p)
            XCTAssertEqual(file.method, .inPlace)
            file.discard()
            XCTAssertEqual(contents(p), "old and longer", "a writer that fails before writing leaves the file alone")
            try AtomicFile.write(Array("new".utf8), to: p)
        }
        XCTAssertEqual(contents(p), "new")
        XCTAssertEqual(fileMode(p) & 0o7777, 0o666)
    }

    func testPermissionErrorsNameThePathAndTheReason() throws {
        let locked = folder + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        writeFile(locked + "/kept.txt", "old", mode: 0o444)
        chmod(locked, 0o555)
        try withoutRoot {
            XCTAssertEqual(
                errorText { try AtomicFile.write([1], to: locked + "/new.txt") },
                "cannot write '\(locked)/new.txt': permission denied (cannot create files in folder '\(locked)')")
            XCTAssertEqual(
                errorText { try AtomicFile.write([1], to: locked + "/kept.txt") },
                "cannot write '\(locked)/kept.txt': permission denied (the file is not writable, and folder '\(locked)' takes no new files)")
        }
        XCTAssertEqual(contents(locked + "/kept.txt"), "old")
    }

    func testMissingFoldersAndFilesInThePath() throws {
        XCTAssertEqual(
            errorText { try AtomicFile.write([1], to: self.folder + "/results/results.md") },
            "cannot write '\(folder)/results/results.md': folder '\(folder)/results' does not exist")
        writeFile(folder + "/plain", "x")
        XCTAssertEqual(
            errorText { try AtomicFile.write([1], to: self.folder + "/plain/x.txt") },
            "cannot write '\(folder)/plain/x.txt': '\(folder)/plain' is not a folder")
    }

    func testFoldersAreMadeWithTheirParents() throws {
        try Folders.make(folder + "/a/b/c")
        try Folders.make(folder + "/a/b/c")  // already there: fine
        try Folders.make(folder + "/a/b/c/")
        XCTAssertEqual(fileMode(folder + "/a/b/c") & S_IFMT, S_IFDIR)
        writeFile(folder + "/file", "x")
        XCTAssertEqual(
            errorText { try Folders.make(self.folder + "/file/sub") },
            "cannot create folder '\(folder)/file/sub': '\(folder)/file' is a file, not a folder")
        XCTAssertEqual(
            errorText { try Folders.make(self.folder + "/file") },
            "cannot create folder '\(folder)/file': it is a file, not a folder")
        XCTAssertEqual(errorText { try Folders.make("") }, "cannot create a folder: the path is empty")
        chmod(folder + "/a", 0o555)
        try withoutRoot {
            XCTAssertEqual(
                errorText { try Folders.make(self.folder + "/a/new/deeper") },
                "cannot create folder '\(folder)/a/new/deeper': permission denied (cannot create folders in '\(folder)/a')")
        }
    }
}
