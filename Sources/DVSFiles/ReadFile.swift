#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way DVS reads a file (scripts, modules, `read_text`, `load`, PNGs).
/// Links are followed; a stream path (`/dev/stdin`, `/dev/fd/N`, see
/// `StreamPath`) is read directly; folders, devices, FIFOs and sockets are
/// refused, since reading them could block or never end. Errors name the path
/// and the system's reason: `cannot read 'a.txt': permission denied`.
public final class ReadFile {
    public let path: String
    /// The size in bytes when opened (nil for a stream).
    public let size: Int?
    private var fd: Int32

    public init(path: String) throws(FileError) {
        self.path = path
        guard !path.isEmpty else { throw FileError("cannot read: the file path is empty") }
        if let stream = StreamPath.descriptor(path) {
            fd = try StreamPath.open(path, descriptor: stream, verb: "read")
            size = nil
            return
        }
        // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        var st = stat()
        guard fd >= 0 else {
            let code = errno
            // A socket cannot be opened at all: say what it is.
            if stat(path, &st) == 0, !isRegular(st.st_mode) { throw FileError("cannot read '\(path)': \(kindText(st.st_mode))") }
            throw FileError("cannot read '\(path)': \(reasonText(code, path: path))")
        }
        let known = fstat(fd, &st) == 0
        guard known, isRegular(st.st_mode) else {
            let reason = known ? kindText(st.st_mode) : reasonText(errno, path: path)
            _ = closeDescriptor(fd)
            throw FileError("cannot read '\(path)': \(reason)")
        }
        self.fd = fd
        size = Int(st.st_size)
    }

    deinit { close() }

    public func close() {
        if fd >= 0 { _ = closeDescriptor(fd); fd = -1 }
    }

    /// Everything from the current position to the end, refusing more than `limit` bytes.
    public func readAll(limit: Int = .max) throws(FileError) -> [UInt8] {
        if let size, size > limit { throw tooLarge("it is \(size) bytes", limit) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size ?? 0)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { readDescriptor(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read failed")
            }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else { throw tooLarge("it has more than \(limit) bytes", limit) }
            bytes += chunk[0..<n]
        }
    }

    /// Fills `count` bytes at `buffer` from `offset` (a regular file only), or
    /// throws if the file ends first.
    public func read(at offset: Int, count: Int, into buffer: UnsafeMutableRawPointer) throws(FileError) {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read failed")
            }
            if n == 0 {
                throw FileError("cannot read '\(path)': the file ended at byte \(offset + done), expected \(offset + count) (changed while reading?)")
            }
            done += n
        }
    }

    public func read(at offset: Int, count: Int) throws(FileError) -> [UInt8] {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 8)
        defer { buffer.deallocate() }
        try read(at: offset, count: count, into: buffer)
        return Array(UnsafeRawBufferPointer(start: buffer, count: count))
    }

    private func failure(_ what: String) -> FileError {
        let code = errno
        return FileError("cannot read '\(path)': \(what): \(reasonText(code, path: path))")
    }

    private func tooLarge(_ what: String, _ limit: Int) -> FileError {
        FileError("cannot read '\(path)': \(what), more than the \(limit)-byte limit")
    }
}

extension ReadFile {
    /// The whole file at `path` (at most `limit` bytes).
    public static func bytes(_ path: String, limit: Int = .max) throws(FileError) -> [UInt8] {
        try ReadFile(path: path).readAll(limit: limit)
    }

    /// The whole file at `path` as UTF-8 text.
    public static func text(_ path: String) throws(FileError) -> String {
        let bytes = try self.bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError("cannot read '\(path)': it is not UTF-8 text")
        }
        return text
    }
}
