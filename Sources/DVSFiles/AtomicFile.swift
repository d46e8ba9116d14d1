#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way DVS writes a file (`write_text`, `save` of every kind,
/// notebooks, checkpoints). What happens depends on what the path names:
///
/// - a regular file, or nothing yet: it is replaced atomically. Bytes go to a
///   temporary file in the same folder, which `commit` flushes and renames
///   over the target, so readers see the old file or the whole new one. An
///   existing file keeps its permission bits (444 stays 444) and, where the
///   system permits, its owner and group.
/// - a symbolic link: links are followed (through chains) and the file the
///   last one names is replaced; the links stay links. A dangling link
///   creates the file it names.
/// - a stream path (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, see
///   `StreamPath`): written directly.
/// - a folder, device, FIFO or socket: refused, naming what it is.
///
/// When the folder is not writable but the existing file is, the file is
/// rewritten in place (truncated, then written): not atomic, since a failure
/// midway leaves it partly written. Errors name the path and the system's reason.
public final class AtomicFile {
    /// How the bytes reach the file.
    public enum Method: Equatable {
        /// A temporary file renamed over the target.
        case replace
        /// The existing file truncated and rewritten (its folder is not writable).
        case inPlace
        /// A stream path written directly.
        case stream
    }

    /// The path as given (what errors name).
    public let path: String
    public let method: Method
    /// The file actually written: `path`, or what its links name.
    private let target: String
    /// The temporary file (for `.replace`, until it is renamed).
    private var temporary: String
    private var fd: Int32
    /// In place, the file is truncated when the first bytes arrive, so a
    /// writer that fails before writing leaves it untouched.
    private var truncated = false

    public init(path: String) throws(FileError) {
        self.path = path
        guard !path.isEmpty else { throw FileError("cannot write: the file path is empty") }
        if let stream = StreamPath.descriptor(path) {
            fd = try StreamPath.open(path, descriptor: stream, verb: "write")
            (method, target, temporary) = (.stream, path, "")
            return
        }
        func refused(_ reason: String) -> FileError { FileError("cannot write '\(path)': \(reason)") }
        guard !path.hasSuffix("/") else { throw refused("a file name cannot end with '/'") }

        let target = try followingLinks(path)
        var existing: stat?
        var st = stat()
        if stat(target, &st) == 0 {
            guard isRegular(st.st_mode) else {
                let hint = (st.st_mode & S_IFMT) == S_IFDIR ? "" : " (only /dev/stdout, /dev/stderr and /dev/fd/N are written as streams)"
                throw refused(kindText(st.st_mode) + hint)
            }
            existing = st
        }
        self.target = target

        var base = target.split(separator: "/").last.map(String.init) ?? target
        if base.utf8.count > 160 { base = "file" }
        var fd: Int32 = -1
        var name = ""
        for _ in 0..<16 {
            name = folderPrefix(of: target) + ".\(base).tmp-\(getpid())-\(String(UInt32.random(in: .min ... .max), radix: 16))"
            fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 {
            let code = errno
            let folder = folderShown(of: target)
            if code == EACCES || code == EPERM, existing != nil {
                // The folder takes no new files; rewrite the file itself if it may be written.
                let direct = open(target, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                if direct >= 0 {
                    self.fd = direct
                    (method, temporary) = (.inPlace, "")
                    return
                }
                throw refused("permission denied (the file is not writable, and folder \(folder) takes no new files)")
            }
            switch code {
            case ENOENT: throw refused("folder \(folder) does not exist")
            case EACCES, EPERM: throw refused("permission denied (cannot create files in folder \(folder))")
            case EROFS: throw refused("read-only file system (folder \(folder))")
            default: throw refused(reasonText(code, path: target))
            }
        }
        if let existing {
            // Owner first: changing it may clear set-id bits that fchmod restores.
            _ = fchown(fd, existing.st_uid, existing.st_gid)
            _ = fchmod(fd, existing.st_mode & 0o7777)
        }
        self.fd = fd
        (method, temporary) = (.replace, name)
    }

    deinit { discard() }

    public func write(_ bytes: [UInt8]) throws(FileError) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        defer { buffer.deallocate() }
        buffer.copyMemory(from: bytes, byteCount: bytes.count)
        try write(UnsafeRawPointer(buffer), count: bytes.count)
    }

    public func write(_ bytes: UnsafeRawPointer, count: Int) throws(FileError) {
        try truncateInPlace()
        var done = 0
        while done < count {
            let n = writeDescriptor(fd, bytes + done, count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write failed")
            }
            done += n
        }
    }

    /// Makes the bytes durable and, for `.replace`, renames the temporary
    /// file over the target. The file is closed afterwards.
    public func commit() throws(FileError) {
        try truncateInPlace()
        if method != .stream, fsync(fd) != 0 { throw failure("write failed (flushing to disk)") }
        let closed = closeDescriptor(fd)
        fd = -1
        guard closed == 0 else { throw failure("write failed (closing)") }
        guard method == .replace else { return }
        guard rename(temporary, target) == 0 else { throw failure("cannot replace the file") }
        temporary = ""
        // Make the rename itself durable (best effort).
        let folder = folderPrefix(of: target)
        let dfd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); _ = closeDescriptor(dfd) }
    }

    /// Closes the file and deletes the temporary one (after a failure; a
    /// no-op after `commit`). In place, what was written stays written.
    public func discard() {
        if fd >= 0 { _ = closeDescriptor(fd); fd = -1 }
        if !temporary.isEmpty { _ = unlink(temporary); temporary = "" }
    }

    private func truncateInPlace() throws(FileError) {
        guard method == .inPlace, !truncated else { return }
        guard ftruncate(fd, 0) == 0 else { throw failure("write failed (truncating)") }
        truncated = true
    }

    /// An error for the current `errno`: `cannot write 'p': <what>: <reason>`.
    private func failure(_ what: String) -> FileError {
        let code = errno
        return FileError("cannot write '\(path)': \(what): \(reasonText(code, path: target))")
    }
}

extension AtomicFile {
    /// Writes `bytes` to `path` (see the type for what happens).
    public static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
        let file = try AtomicFile(path: path)
        do {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}
