#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creating folders for outputs.
public enum Folders {
    /// Creates the folder `path` and any missing parents (like `mkdir -p`); a
    /// folder already there (or a link to one) is fine. Errors name the path
    /// and the part that failed: `cannot create folder 'a/b/c': 'a/b' is a file, not a folder`.
    public static func make(_ path: String) throws(FileError) {
        guard !path.isEmpty else { throw FileError("cannot create a folder: the path is empty") }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for end in parts.indices where !parts[end].isEmpty {
            let prefix = parts[...end].joined(separator: "/")
            if mkdir(prefix, 0o777) == 0 { continue }
            let code = errno
            var st = stat()
            let found = stat(prefix, &st) == 0
            if found, (st.st_mode & S_IFMT) == S_IFDIR { continue }
            let reason: String
            if found {
                reason = "\(prefix == path ? "it" : "'\(prefix)'") is \(kindName(st.st_mode)), not a folder"
            } else if code == EACCES || code == EPERM {
                reason = "permission denied (cannot create folders in \(folderShown(of: prefix)))"
            } else {
                reason = reasonText(code, path: prefix)
            }
            throw FileError("cannot create folder '\(path)': \(reason)")
        }
    }
}
