/// Lists the members of a ustar archive, reading the data of only the
/// members asked for (headers are read one block at a time).
public enum TarReader {
    /// A regular member: where it is, and its bytes when they were asked for.
    public struct Entry: Sendable {
        public let member: TarWriter.Member
        public let data: [UInt8]?
    }

    /// Every regular member in order (folders and links are skipped), with the
    /// data of those whose path `wanted` accepts. Stops at the end-of-archive
    /// zero block or the end of the file; a damaged header or a member cut
    /// short is an error naming the archive and the byte.
    public static func entries(_ path: String, readingDataOf wanted: (String) -> Bool = { _ in false }) throws(FileError) -> [Entry] {
        let file = try ReadFile(path: path)
        defer { file.close() }
        guard let total = file.size else { throw FileError("'\(path)' is not a regular file (a tar archive was expected)") }
        var out: [Entry] = []
        var offset = 0
        while offset + TarHeader.blockSize <= total {
            let block = try file.read(at: offset, count: TarHeader.blockSize)
            guard let header = try TarHeader.parse(block, at: offset, in: path) else { break }
            let data = offset + TarHeader.blockSize
            guard data + header.size <= total else {
                throw FileError("'\(path)': member '\(header.path)' needs \(header.size) bytes but the archive ends first (a truncated archive)")
            }
            // Type flag '0' or NUL: a regular file.
            if block[156] == UInt8(ascii: "0") || block[156] == 0 {
                let member = TarWriter.Member(path: header.path, headerOffset: offset, dataOffset: data, size: header.size)
                out.append(Entry(member: member, data: wanted(header.path) ? try file.read(at: data, count: header.size) : nil))
            }
            offset = data + header.size + TarHeader.padding(after: header.size)
        }
        return out
    }
}
