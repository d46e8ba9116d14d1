import DVSFiles
import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A test case with a fresh scratch `folder`, removed afterwards.
class FileTestCase: XCTestCase {
    var folder = ""

    override func setUpWithError() throws { folder = try makeScratchFolder() }
    override func tearDown() { removeScratchFolder(folder) }
}

/// A fresh folder under the temporary directory (others may enter it, so
/// tests that drop root privileges can still reach their files).
func makeScratchFolder() throws -> String {
    let path = NSTemporaryDirectory() + "dvs-files-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    chmod(path, 0o755)
    return path
}

func removeScratchFolder(_ path: String) {
    // Folders made read-only by a test must become writable again to be removed.
    if let walker = FileManager.default.enumerator(atPath: path) {
        while let name = walker.nextObject() as? String { chmod(path + "/" + name, 0o755) }
    }
    chmod(path, 0o755)
    try? FileManager.default.removeItem(atPath: path)
}

func writeFile(_ path: String, _ text: String, mode: mode_t = 0o644) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    chmod(path, mode)
}

func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}

func fileMode(_ path: String, followingLinks: Bool = true) -> mode_t {
    var st = stat()
    _ = followingLinks ? stat(path, &st) : lstat(path, &st)
    return st.st_mode
}

/// The message of the error `body` throws ("no error" if none).
func errorText(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return "\(error)" }
}

/// Root bypasses file permissions; the unprivileged user ("nobody") a test
/// runs as, so permission checks are real even when the tests run as root.
let unprivileged: uid_t = 65534

/// Runs `body` with the effective user and group of `unprivileged` when the
/// tests run as root (restored afterwards), else as the current user. Skips
/// the test when root cannot become that user (e.g. in a user namespace).
func withoutRoot<T>(_ body: () throws -> T) throws -> T {
    guard geteuid() == 0 else { return try body() }
    guard setegid(unprivileged) == 0 else { throw XCTSkip("running as root and cannot drop to uid \(unprivileged)") }
    guard seteuid(unprivileged) == 0 else {
        _ = setegid(0)
        throw XCTSkip("running as root and cannot drop to uid \(unprivileged)")
    }
    defer { _ = seteuid(0); _ = setegid(0) }
    return try body()
}

/// Hands `path` to `unprivileged` when running as root, so it acts as its owner under `withoutRoot`.
func giveToTestUser(_ path: String) {
    if geteuid() == 0 { _ = chown(path, unprivileged, unprivileged) }
}
