/// One POSIX ustar header block (IEEE Std 1003.1-1988 "ustar", as Python's
/// `tarfile`, GNU tar and `webdataset` read it): 512 bytes before each member's
/// data, which is padded to a multiple of 512. DVS writes regular files only.
///
/// Layout (offset, length): name 0 100, mode 100 8, uid 108 8, gid 116 8,
/// size 124 12, mtime 136 12, checksum 148 8, type flag 156 1, link name 157 100,
/// magic 257 6 ("ustar\0"), version 263 2 ("00"), user 265 32, group 297 32,
/// device major 329 8, minor 337 8, prefix 345 155. Numbers are octal text.
public struct TarHeader: Equatable, Sendable {
    public static let blockSize = 512
    /// The largest member size the 11 octal digits of the size field hold (8 GiB − 1).
    public static let maxSize = (1 << 33) - 1

    /// The member's path inside the archive (prefix and name joined by "/").
    public var path: String
    public var size: Int
    /// Seconds since 1970 (DVS writes a fixed time so archives are reproducible).
    public var mtime: Int

    public init(path: String, size: Int, mtime: Int = 0) {
        (self.path, self.size, self.mtime) = (path, size, mtime)
    }

    /// Bytes of padding after `size` bytes of data.
    public static func padding(after size: Int) -> Int { (blockSize - size % blockSize) % blockSize }

    /// The header block; the path must fit ustar's name (100 bytes) or
    /// prefix (155) + "/" + name fields, and be relative without "." or ".."
    /// components.
    public func block() throws(FileError) -> [UInt8] {
        let (prefix, name) = try TarHeader.split(path)
        guard size >= 0, size <= TarHeader.maxSize else {
            throw FileError("tar member '\(path)': size \(size) is not between 0 and \(TarHeader.maxSize) bytes")
        }
        var b = [UInt8](repeating: 0, count: TarHeader.blockSize)
        func put(_ bytes: some Collection<UInt8>, at offset: Int) {
            for (i, byte) in bytes.enumerated() { b[offset + i] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: width - 1 - digits.count) + digits).utf8)  // then NUL
        }
        put(name.utf8, at: 0)
        put(octal(0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(mtime, width: 12), at: 136)
        b[156] = UInt8(ascii: "0")
        put("ustar".utf8, at: 257)
        put("00".utf8, at: 263)
        put(prefix.utf8, at: 345)
        // The checksum: the sum of the header's bytes with its own field as spaces.
        put([UInt8](repeating: 0x20, count: 8), at: 148)
        let sum = b.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7), at: 148)
        b[155] = 0x20
        return b
    }

    /// Reads a header block; nil for an all-zero block (the end of the archive).
    public static func parse(_ b: [UInt8], at offset: Int, in archive: String) throws(FileError) -> TarHeader? {
        guard b.count == blockSize else { throw FileError("'\(archive)': the archive ends inside the header at byte \(offset)") }
        if b.allSatisfy({ $0 == 0 }) { return nil }
        func text(_ from: Int, _ length: Int) -> String {
            String(decoding: b[from..<from + length].prefix { $0 != 0 }, as: UTF8.self)
        }
        func number(_ from: Int, _ length: Int, _ what: String) throws(FileError) -> Int {
            let digits = text(from, length).trimmingSpaces
            guard let v = Int(digits.isEmpty ? "0" : digits, radix: 8) else {
                throw FileError("'\(archive)': the header at byte \(offset) has a bad \(what) field '\(digits)'")
            }
            return v
        }
        let stored = try number(148, 8, "checksum")
        let sum = b.enumerated().reduce(0) { $0 + (148..<156 ~= $1.offset ? 0x20 : Int($1.element)) }
        guard stored == sum else { throw FileError("'\(archive)': the header at byte \(offset) is damaged (checksum \(stored), expected \(sum))") }
        let name = text(0, 100), prefix = text(345, 155)
        return TarHeader(path: prefix.isEmpty ? name : prefix + "/" + name, size: try number(124, 12, "size"), mtime: try number(136, 12, "mtime"))
    }

    /// The path as ustar's (prefix, name) fields.
    private static func split(_ path: String) throws(FileError) -> (String, String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }), !path.utf8.contains(0) else {
            throw FileError("tar member '\(path)': a member path must be relative, without empty, '.' or '..' parts")
        }
        let bytes = Array(path.utf8)
        if bytes.count <= 100 { return ("", path) }
        // The last "/" that leaves a name of at most 100 bytes and a prefix of at most 155.
        for i in stride(from: bytes.count - 1, through: 0, by: -1) where bytes[i] == UInt8(ascii: "/") {
            if bytes.count - i - 1 > 100 { break }
            if i <= 155 { return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[(i + 1)...], as: UTF8.self)) }
        }
        throw FileError("tar member '\(path)': the path is too long for a ustar header (a name of at most 100 bytes after a folder part of at most 155)")
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
