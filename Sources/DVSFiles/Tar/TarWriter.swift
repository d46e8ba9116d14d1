/// Writes a POSIX ustar archive of regular files through `AtomicFile`: the
/// archive appears whole at `commit` or not at all (a failed or abandoned
/// writer leaves no file and no half-written archive).
///
/// Members are written in the order added; each is a header block, the bytes,
/// and zero padding to a multiple of 512; `commit` ends the archive with two
/// zero blocks, as POSIX asks. Modes are 0644, owners 0, times `mtime`
/// (default 0, so the same members give the same bytes).
public final class TarWriter {
    public let path: String
    private let file: AtomicFile
    /// Bytes written so far: where the next member's header goes.
    public private(set) var offset = 0

    /// Where a member landed: its header block and its data, as byte offsets.
    public struct Member: Equatable, Sendable {
        public let path: String
        public let headerOffset: Int
        public let dataOffset: Int
        public let size: Int
    }

    public init(path: String) throws(FileError) {
        self.path = path
        file = try AtomicFile(path: path)
    }

    deinit { file.discard() }

    /// Appends a regular file.
    @discardableResult
    public func add(_ name: String, _ bytes: [UInt8], mtime: Int = 0) throws(FileError) -> Member {
        let header = try TarHeader(path: name, size: bytes.count, mtime: mtime).block()
        let member = Member(path: name, headerOffset: offset, dataOffset: offset + header.count, size: bytes.count)
        try file.write(header)
        try file.write(bytes)
        let pad = TarHeader.padding(after: bytes.count)
        if pad > 0 { try file.write([UInt8](repeating: 0, count: pad)) }
        offset += header.count + bytes.count + pad
        return member
    }

    /// Ends the archive and puts it in place.
    public func commit() throws(FileError) {
        try file.write([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        offset += 2 * TarHeader.blockSize
        try file.commit()
    }

    /// Abandons the archive: nothing is left at `path` by this writer.
    public func discard() { file.discard() }
}
