#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stream rule: `/dev/stdin`, `/dev/stdout`, `/dev/stderr` and `/dev/fd/N`
/// (spelled exactly so) name the process's open descriptors 0, 1, 2 and N.
/// DVS reads and writes them directly, in order with what it prints, with no
/// temporary file and nothing replaced. Every other path that is not a regular
/// file (devices such as `/dev/null`, FIFOs, sockets, folders) is refused.
public enum StreamPath {
    /// The descriptor `path` names, or nil when it is not a stream path.
    public static func descriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            guard path.hasPrefix("/dev/fd/") else { return nil }
            let number = path.dropFirst("/dev/fd/".count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int32(number)
        }
    }

    /// A private copy of the descriptor `path` names (closing it leaves the
    /// stream open), after flushing what DVS has printed so far.
    static func open(_ path: String, descriptor: Int32, verb: String) throws(FileError) -> Int32 {
        fflush(nil)
        let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else {
            let code = errno
            let reason = code == EBADF ? "file descriptor \(descriptor) is not open" : reasonText(code, path: path)
            throw FileError("cannot \(verb) '\(path)': \(reason)")
        }
        return fd
    }
}
