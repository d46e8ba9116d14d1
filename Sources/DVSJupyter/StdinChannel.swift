import DVSFiles
import DVSLang

/// The stdin channel: `input()` in a cell sends an input_request to the
/// client that sent the execute_request and waits for its input_reply.
/// Ctrl-C (an interrupt) ends the wait: `input()` then returns nil and the
/// cell stops at its next check.
final class StdinChannel {
    private let socket: ZMQSocket
    private let signer: MessageSigner
    private let session: String

    init(socket: ZMQSocket, signer: MessageSigner, session: String) {
        self.socket = socket
        self.signer = signer
        self.session = session
    }

    /// The line the user typed for `request`'s cell; nil when interrupted.
    func readLine(for request: JupyterMessage) -> String? {
        let ask = JupyterMessage.make(
            "input_request", content: .object([("prompt", .string("")), ("password", .bool(false))]),
            parent: request, session: session, identities: request.identities)
        do {
            try socket.send(ask.encode(signer: signer))
            while !Interrupt.isRequested {
                guard try socket.waitForMessage(milliseconds: 50) else { continue }
                let frames = try socket.receive()
                do {
                    let reply = try JupyterMessage.decode(frames, signer: signer)
                    if reply.type == "input_reply" { return reply.content["value"]?.stringValue ?? "" }
                    KernelLog.write("ignored \(reply.type) on stdin")
                } catch {
                    KernelLog.write("dropped \(error.description) on stdin")
                }
            }
        } catch {
            KernelLog.write("stdin: \(error)")
        }
        return nil
    }
}
