import CZeroMQ
import DVSFiles
import DVSLang
import DVSRuntime
import Foundation
import Synchronization

/// A Jupyter kernel for DVS (messaging protocol 5.3) on ZeroMQ: shell and
/// stdin requests on the thread that runs DVS code, control requests and the
/// heartbeat on threads of their own, so a running cell can still be
/// interrupted or the kernel shut down. Every request is framed by `status`
/// busy and idle on iopub; messages with a missing or wrong signature are
/// dropped (and logged).
public final class JupyterKernel: @unchecked Sendable {
    public static let version = "0.1.0"

    let connection: ConnectionFile
    let signer: MessageSigner
    let session = UUID().uuidString.lowercased()
    private let context: ZMQContext
    private let shell: ZMQSocket
    private let control: ZMQSocket
    private let stdin: ZMQSocket
    private let heartbeat: ZMQSocket
    let iopub: IOPub
    let output: OutputCapture
    let requests: KernelRequests
    /// Set by shutdown_request: the loops end.
    private let stopping = Atomic<Bool>(false)
    /// Threads (control, heartbeat) still running.
    private let threadsDone = DispatchSemaphore(value: 0)

    /// Binds the five sockets of `connection` and captures stdout and stderr.
    public init(connection: ConnectionFile, interpreter: Interpreter, version: String) throws(KernelError) {
        self.connection = connection
        signer = try MessageSigner(key: connection.key)
        do {
            context = try ZMQContext()
            shell = try context.socket(ZMQ_ROUTER)
            control = try context.socket(ZMQ_ROUTER)
            stdin = try context.socket(ZMQ_ROUTER)
            heartbeat = try context.socket(ZMQ_REP)
            let publisher = try context.socket(ZMQ_PUB)
            for (socket, channel) in [
                (shell, ConnectionFile.Channel.shell), (control, .control), (stdin, .stdin),
                (heartbeat, .hb), (publisher, .iopub),
            ] {
                try socket.bind(connection.endpoint(channel))
            }
            iopub = IOPub(socket: publisher, signer: signer, session: session)
        } catch {
            throw KernelError("cannot start the kernel: \(error)")
        }
        output = try OutputCapture(iopub: iopub)
        requests = KernelRequests(interpreter: interpreter, iopub: iopub, output: output, version: version)
        requests.stdin = StdinChannel(socket: stdin, signer: signer, session: session)
    }

    /// Serves until a shutdown_request; returns the exit status (0).
    public func run() -> Int32 {
        startThread("heartbeat") { [self] in serveHeartbeat() }
        startThread("control") { [self] in serve(control, channel: "control") }
        iopub.status("starting", parent: nil)
        serve(shell, channel: "shell")
        threadsDone.wait()
        threadsDone.wait()
        output.flush()
        for socket in [shell, control, stdin, heartbeat] { socket.close() }
        iopub.close()
        context.terminate()
        return 0
    }

    private func startThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            body()
            threadsDone.signal()
        }
        thread.name = "dvs kernel \(name)"
        thread.start()
    }

    /// Receives and handles requests on a ROUTER socket until shutdown.
    private func serve(_ socket: ZMQSocket, channel: String) {
        while !stopping.load(ordering: .relaxed) {
            do {
                guard try socket.waitForMessage(milliseconds: 100) else { continue }
                let frames = try socket.receive()
                let request: JupyterMessage
                do {
                    request = try JupyterMessage.decode(frames, signer: signer)
                } catch {
                    KernelLog.write("dropped \(error.description) on \(channel)")
                    continue
                }
                handle(request, on: socket, channel: channel)
            } catch {
                KernelLog.write("\(channel): \(error)")
                if error.code == ETERM { return }
            }
        }
    }

    /// busy, the reply (if the request has one), idle. When a cell fails (and
    /// `stop_on_error` is not false), the execute_requests that arrived while it
    /// ran — JupyterLab's "Run All" sends every cell at once — are answered
    /// `aborted` after its reply, without running, as ipykernel does; other
    /// requests among them are handled as usual.
    private func handle(_ request: JupyterMessage, on socket: ZMQSocket, channel: String) {
        iopub.status("busy", parent: request)
        let content: JSONValue?
        switch (channel, request.type) {
        case (_, "kernel_info_request"): content = requests.kernelInfo()
        case (_, "shutdown_request"): content = shutdown(request)
        case (_, "interrupt_request"):
            Interrupt.request()
            content = .object([("status", .string("ok"))])
        case ("shell", _):
            content = requests.handle(request)
        default:
            KernelLog.write("ignored \(request.type) on \(channel)")
            content = nil
        }
        var waiting: [[[UInt8]]] = []
        if request.type == "execute_request", content?["status"]?.stringValue == "error",
            request.content["stop_on_error"]?.boolValue ?? true
        {
            while (try? socket.waitForMessage(milliseconds: 0)) == true, let frames = try? socket.receive() {
                waiting.append(frames)
            }
        }
        if let content { send(content, on: socket, to: request) }
        iopub.status("idle", parent: request)
        for frames in waiting {
            do {
                let queued = try JupyterMessage.decode(frames, signer: signer)
                guard queued.type == "execute_request" else {
                    handle(queued, on: socket, channel: channel)
                    continue
                }
                iopub.status("busy", parent: queued)
                send(.object([("status", .string("aborted"))]), on: socket, to: queued)
                iopub.status("idle", parent: queued)
            } catch {
                KernelLog.write("dropped \(error.description) on \(channel)")
            }
        }
    }

    /// Sends the reply to `request` (its type with `_reply`) on the socket it came from.
    private func send(_ content: JSONValue, on socket: ZMQSocket, to request: JupyterMessage) {
        let type = request.type.hasSuffix("_request") ? String(request.type.dropLast(8)) + "_reply" : request.type + "_reply"
        let reply = JupyterMessage.make(type, content: content, parent: request, session: session, identities: request.identities)
        do {
            try socket.send(reply.encode(signer: signer))
        } catch {
            KernelLog.write("cannot send \(type): \(error)")
        }
    }

    /// Stops the loops once the reply is out; a running cell is interrupted,
    /// and if it does not stop within two seconds the process ends anyway.
    private func shutdown(_ request: JupyterMessage) -> JSONValue {
        // A restart is the client's work: it starts a new kernel once this one has ended.
        let restart = request.content["restart"]?.boolValue ?? false
        stopping.store(true, ordering: .relaxed)
        if requests.isRunningCell {
            Interrupt.request()
            DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                KernelLog.write("the running cell did not stop within 2 s of shutdown_request; exiting")
                _exit(0)
            }
        }
        return .object([("status", .string("ok")), ("restart", .bool(restart))])
    }

    /// Echoes every heartbeat ping back at once. Also ends the kernel when the
    /// process that started it has gone (as ipykernel does): no kernel is left
    /// behind by a client that died.
    private func serveHeartbeat() {
        let parent = getppid()
        while !stopping.load(ordering: .relaxed) {
            if getppid() != parent {
                KernelLog.write("the process that started the kernel has ended; exiting")
                stopping.store(true, ordering: .relaxed)
                Interrupt.request()
                return
            }
            do {
                guard try heartbeat.waitForMessage(milliseconds: 100) else { continue }
                try heartbeat.send(heartbeat.receive())
            } catch {
                if error.code == ETERM { return }
            }
        }
    }
}
