#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file operation. The message names the path and the operating
/// system's reason in words: `cannot read 'a.txt': permission denied`.
public struct FileError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// An `errno` value in words, for a file operation on `path`.
func reasonText(_ code: Int32, path: String) -> String {
    switch code {
    case ENOENT: return "no such file"
    case EACCES, EPERM: return "permission denied"
    case ENOTDIR: return firstNonFolder(in: path).map { "'\($0)' is not a folder" } ?? "a part of the path is not a folder"
    case EISDIR: return "it is a folder"
    case EROFS: return "read-only file system"
    case ELOOP: return "too many levels of symbolic links"
    case ENAMETOOLONG: return "the name is too long"
    case ENOSPC: return "no space left on the device"
    case EDQUOT: return "disk quota exceeded"
    default:
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// What a file-system entry is: `a file`, `a folder`, `a character device`, ….
func kindName(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: return "a file"
    case S_IFDIR: return "a folder"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFIFO: return "a named pipe (FIFO)"
    case S_IFSOCK: return "a socket"
    default: return "a file of an unknown kind"
    }
}

/// Why a path that is not a regular file is refused: `it is a folder`,
/// `it is a character device, not a regular file`, ….
func kindText(_ mode: mode_t) -> String {
    (mode & S_IFMT) == S_IFDIR ? "it is a folder" : "it is \(kindName(mode)), not a regular file"
}

func isRegular(_ mode: mode_t) -> Bool { (mode & S_IFMT) == S_IFREG }

/// The first leading part of `path` that exists but is not a folder (why
/// `a.txt/b` fails with ENOTDIR), or nil.
func firstNonFolder(in path: String) -> String? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
    for end in parts.indices {
        let prefix = parts[...end].joined(separator: "/")
        var st = stat()
        if !prefix.isEmpty, stat(prefix, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR { return prefix }
    }
    return nil
}

/// The folder part of `path` with its trailing slash (`a/b/` for `a/b/c`), or "" when it has none.
func folderPrefix(of path: String) -> String {
    path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
}

/// The folder holding `path`, as error messages show it: `'a/b'`, `'/'`, or `the current folder`.
func folderShown(of path: String) -> String {
    let prefix = folderPrefix(of: path)
    if prefix.isEmpty { return "the current folder" }
    return prefix == "/" ? "'/'" : "'\(prefix.dropLast())'"
}

func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }
func writeDescriptor(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
