import DVSTensor
import Foundation

/// Runs a program to its end and collects what it wrote, with `posix_spawn`,
/// `poll` and `waitpid` on the calling thread (Foundation's `Process` and
/// `Thread` keep about 3 KB per run on Linux, and `waitUntilExit` notices an
/// exit only every 50 ms). The program's standard input is a temporary file
/// holding `input` (not a pipe: a program that stops reading early cannot make
/// DVS write into a closed pipe). At Ctrl-C (`Cancellation`) the program is
/// killed and `TensorError.interrupted` thrown, within about 20 ms.
enum ChildProcess {
    struct Outcome {
        /// The exit status (when `signal` is nil).
        let status: Int32
        /// The signal that ended the program, if one did.
        let signal: Int32?
        let output: [UInt8]
        /// Its standard error, as text.
        let messages: String
    }

    static func run(_ program: String, _ arguments: [String], input: [UInt8]) throws -> Outcome {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("dvs-input-XXXXXX").utf8CString)
        let inputFD = mkstemp(&template)
        guard inputFD >= 0 else { throw GraphvizError("graphviz: could not make a temporary file in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))") }
        unlink(template)  // the open descriptor is all the program needs
        defer { close(inputFD) }
        let written = input.withUnsafeBytes { write(inputFD, $0.baseAddress, $0.count) }
        guard written == input.count, lseek(inputFD, 0, SEEK_SET) == 0 else {
            throw GraphvizError("graphviz: could not write a temporary file in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        _ = fcntl(inputFD, F_SETFD, FD_CLOEXEC)
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw GraphvizError("graphviz: could not make a pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw GraphvizError("graphviz: could not make a pipe: \(String(cString: strerror(errno)))")
        }
        defer { close(outPipe[0]); close(errPipe[0]) }
        // Not inherited by programs other threads start meanwhile (dup2 below clears it for this one).
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputFD, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else { throw GraphvizError("graphviz: could not run \(program): \(String(cString: strerror(spawned)))") }

        // Read both pipes as data arrives (so neither fills up and stalls the
        // program) until both are closed, asking for Ctrl-C every 20 ms.
        var output: [UInt8] = [], messages: [UInt8] = []
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0),
                   pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            if Cancellation.isRequested {
                kill(pid, SIGKILL)
                _ = reap(pid)
                throw TensorError.interrupted
            }
            if poll(&fds, nfds_t(fds.count), 20) < 0, errno != EINTR { break }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 {
                    if i == 0 { output += buffer[0..<n] } else { messages += buffer[0..<n] }
                } else if n == 0 || errno != EINTR {
                    fds[i].fd = -1  // closed (poll ignores negative descriptors)
                }
            }
        }
        let status = reap(pid)
        let signaled = status & 0x7f != 0
        return Outcome(status: signaled ? -1 : (status >> 8) & 0xff, signal: signaled ? status & 0x7f : nil,
                       output: output, messages: String(decoding: messages, as: UTF8.self))
    }

    /// Waits for `pid` to end; its wait status.
    private static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return status
    }
}
