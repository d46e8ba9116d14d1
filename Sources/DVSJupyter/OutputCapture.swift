import DVSFiles
import Foundation

/// The process's stdout and stderr, as a kernel must treat them: file
/// descriptors 1 and 2 become pipes, and what arrives — `print`, `write_file`
/// to /dev/stderr, a native library's messages — is published as `stream`
/// messages (stdout, stderr) of the request being run. A reader thread per
/// pipe sends text as it comes, in chunks as large as what is waiting; `flush`
/// sends what is left before the kernel publishes anything else for the cell,
/// so outputs keep their order.
final class OutputCapture: @unchecked Sendable {
    private struct Pipe {
        let name: String
        let readEnd: Int32
        /// Bytes of a UTF-8 character cut by the end of a read.
        var pending: [UInt8] = []
    }

    private let iopub: IOPub
    private var pipes: [Pipe] = []
    private let lock = NSLock()
    private var parent: JupyterMessage?

    /// Redirects fds 1 and 2; kernel log lines keep going to the original stderr.
    init(iopub: IOPub) throws(KernelError) {
        self.iopub = iopub
        KernelLog.fd = dup(2)
        for (fd, name) in [(Int32(1), "stdout"), (Int32(2), "stderr")] {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0, dup2(ends[1], fd) >= 0 else {
                throw KernelError("cannot capture \(name): \(String(cString: strerror(errno)))")
            }
            close(ends[1])
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            pipes.append(Pipe(name: name, readEnd: ends[0]))
        }
        for index in pipes.indices {
            let thread = Thread { [self] in readLoop(index) }
            thread.name = "dvs kernel \(pipes[index].name)"
            thread.start()
        }
    }

    /// The request whose cell is running: streams are its children.
    func setParent(_ message: JupyterMessage?) {
        flush()
        lock.lock()
        parent = message
        lock.unlock()
    }

    /// Publishes everything written so far (C's stdio buffers included).
    func flush() {
        fflush(stdout)
        fflush(stderr)
        lock.lock()
        defer { lock.unlock() }
        for index in pipes.indices { pump(index) }
    }

    private func readLoop(_ index: Int) {
        var poller = pollfd(fd: pipes[index].readEnd, events: Int16(POLLIN), revents: 0)
        while true {
            poller.revents = 0
            let ready = poll(&poller, 1, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            let open = pump(index)
            lock.unlock()
            if !open { return }
        }
    }

    /// Reads what is waiting in one pipe and publishes it; false once the pipe is closed.
    @discardableResult
    private func pump(_ index: Int) -> Bool {
        var bytes = pipes[index].pending
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var open = true
        while true {
            let n = read(pipes[index].readEnd, &buffer, buffer.count)
            if n > 0 { bytes += buffer[0..<n]; continue }
            if n == 0 { open = false }
            if n < 0, errno == EINTR { continue }
            break
        }
        let cut = open ? Self.completeUTF8Prefix(bytes) : bytes.count
        pipes[index].pending = Array(bytes[cut...])
        if cut > 0 {
            let text = String(decoding: bytes[..<cut], as: UTF8.self)
            iopub.publish("stream", .object([("name", .string(pipes[index].name)), ("text", .string(text))]), parent: parent)
        }
        return open
    }

    /// The length of `bytes` without a UTF-8 sequence cut short at its end.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        // Step back over continuation bytes (at most 3) to the lead byte.
        while start > 0, bytes.count - start < 4, bytes[start - 1] & 0xC0 == 0x80 { start -= 1 }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return bytes.count - (start - 1) < length ? start - 1 : bytes.count
    }
}
