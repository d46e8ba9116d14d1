#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A file written atomically: bytes go to a temporary file in the target's
/// folder, which `commit` flushes and renames over the target (replacing the
/// file a symbolic link points to, keeping an existing file's permissions), so
/// readers see the old file or the whole new one. Used for checkpoints, images
/// and graphs. Errors start with `label` (default: the path).
public final class AtomicFile {
    /// How errors name the file (the path, unless a label was given).
    let path: String
    /// The file actually replaced: `path`, or what it links to.
    private let target: String
    private let temporary: String
    private var fd: Int32

    public init(path: String, label: String? = nil) throws(TensorError) {
        self.path = label ?? path
        guard !path.isEmpty else { throw TensorError("\(label ?? "write"): the file path is empty") }
        var target = path
        var st = stat()
        var existingMode: mode_t?
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw TensorError("\(self.path): cannot write: it is a folder") }
            existingMode = st.st_mode & 0o7777
            // Replace the file a symbolic link points to, not the link.
            var l = stat()
            if lstat(path, &l) == 0, (l.st_mode & S_IFMT) == S_IFLNK, let resolved = realpath(path, nil) {
                target = String(cString: resolved)
                free(resolved)
            }
        }
        self.target = target

        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[..<$0]) } ?? "."
        let folderShown = slash == nil ? "the current folder" : "'\(folder.isEmpty ? "/" : folder)'"
        var base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        if base.utf8.count > 160 { base = "checkpoint" }
        let folderPrefix = slash.map { String(target[...$0]) } ?? ""

        var fd: Int32 = -1
        var name = ""
        for _ in 0..<16 {
            name = folderPrefix + ".\(base).tmp-\(getpid())-\(String(UInt32.random(in: .min ... .max), radix: 16))"
            fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw TensorError("\(self.path): cannot write: folder \(folderShown) does not exist")
            case ENOTDIR: throw TensorError("\(self.path): cannot write: \(folderShown) is not a folder")
            case EACCES, EPERM: throw TensorError("\(self.path): cannot write: no permission to create files in \(folderShown)")
            case EROFS: throw TensorError("\(self.path): cannot write: \(folderShown) is on a read-only file system")
            default: throw TensorError("\(self.path): cannot write: cannot create a file in \(folderShown): \(errnoText(code))")
            }
        }
        if let mode = existingMode { _ = fchmod(fd, mode) }
        self.fd = fd
        self.temporary = name
    }

    public func write(_ bytes: [UInt8]) throws(TensorError) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        defer { buffer.deallocate() }
        buffer.copyMemory(from: bytes, byteCount: bytes.count)
        try write(UnsafeRawPointer(buffer), count: bytes.count)
    }

    public func write(_ bytes: UnsafeRawPointer, count: Int) throws(TensorError) {
        var done = 0
        while done < count {
            let n = writeDescriptor(fd, bytes + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw TensorError("\(path): write failed: \(errnoText())")
            }
            done += n
        }
    }

    /// Flushes the data to disk and renames the temporary file over the target.
    public func commit() throws(TensorError) {
        guard fsync(fd) == 0 else { throw TensorError("\(path): write failed (fsync): \(errnoText())") }
        let result = closeDescriptor(fd)
        fd = -1
        guard result == 0 else { throw TensorError("\(path): write failed (close): \(errnoText())") }
        guard rename(temporary, target) == 0 else { throw TensorError("\(path): cannot replace the file: \(errnoText())") }
        // Make the rename itself durable (best effort).
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[..<$0]) } ?? "."
        let dfd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); _ = closeDescriptor(dfd) }
    }

    /// Closes and deletes the temporary file (after a failure).
    public func discard() {
        if fd >= 0 { _ = closeDescriptor(fd); fd = -1 }
        _ = unlink(temporary)
    }
}

extension AtomicFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String, label: String? = nil) throws(TensorError) {
        let file = try AtomicFile(path: path, label: label)
        do {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}

func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
func writeDescriptor(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
