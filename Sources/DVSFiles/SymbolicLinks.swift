#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The most links followed in a chain (the kernel's own limit).
let maxLinksFollowed = 40

/// The path `path` finally names once symbolic links in its last part are
/// followed, through chains of links (a relative link resolves against the
/// folder holding it). A dangling link yields the missing path it names, so
/// writing through it creates that file. Links in the folder part are left to
/// the kernel, which follows them when the file is opened or renamed.
func followingLinks(_ path: String) throws(FileError) -> String {
    var current = path
    for _ in 0...maxLinksFollowed {
        var st = stat()
        guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(current, &buffer, buffer.count - 1)
        guard n > 0 else { return current }
        let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        current = link.hasPrefix("/") ? link : folderPrefix(of: current) + link
    }
    throw FileError("cannot write '\(path)': \(reasonText(ELOOP, path: path))")
}
