import CZeroMQ
import DVSFiles
import Foundation

/// The iopub channel: everything the kernel broadcasts (status, streams,
/// displays, results, errors). Several threads publish — the one running
/// cells, the control thread, the output readers — so sends are serialized.
final class IOPub: @unchecked Sendable {
    private let socket: ZMQSocket
    private let signer: MessageSigner
    let session: String
    private let lock = NSLock()

    init(socket: ZMQSocket, signer: MessageSigner, session: String) {
        self.socket = socket
        self.signer = signer
        self.session = session
    }

    /// Publishes a message of `type` caused by `parent` (the topic is the type, as ipykernel does).
    func publish(_ type: String, _ content: JSONValue, parent: JupyterMessage?) {
        let message = JupyterMessage.make(
            type, content: content, parent: parent, session: session,
            identities: [Array("kernel.\(type)".utf8)])
        lock.lock()
        defer { lock.unlock() }
        do {
            try socket.send(message.encode(signer: signer))
        } catch {
            KernelLog.write("cannot publish \(type): \(error)")
        }
    }

    /// `status` busy or idle.
    func status(_ state: String, parent: JupyterMessage?) {
        publish("status", .object([("execution_state", .string(state))]), parent: parent)
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        socket.close()
    }
}

/// The kernel's own messages (dropped messages, failures) go to the standard
/// error it was started with — the terminal or log of the Jupyter server —
/// not to a notebook, since a cell's stderr is captured (`OutputCapture`).
enum KernelLog {
    nonisolated(unsafe) static var fd: Int32 = 2

    static func write(_ text: String) {
        let line = "dvs kernel: \(text)\n"
        _ = line.withCString { Glibc.write(fd, $0, strlen($0)) }
    }
}
