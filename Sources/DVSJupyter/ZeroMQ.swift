import CZeroMQ
import Foundation

/// A ZeroMQ failure: what was being done and libzmq's reason.
public struct ZMQError: Error, CustomStringConvertible {
    public let description: String
    /// libzmq's errno.
    let code: Int32
    init(_ what: String) {
        code = zmq_errno()
        description = "\(what): \(String(cString: zmq_strerror(code)))"
    }

    /// libzmq itself could not be loaded.
    init(loading failure: UnsafePointer<CChar>) {
        code = 0
        description = "\(String(cString: failure)); install ZeroMQ (Debian: libzmq5)"
    }
}

/// One libzmq context: owns the I/O thread and makes sockets.
final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    init() throws(ZMQError) {
        if let failure = dvs_zmq_open() { throw ZMQError(loading: failure) }
        guard let h = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        handle = h
    }

    func socket(_ type: Int32) throws(ZMQError) -> ZMQSocket {
        guard let s = zmq_socket(handle, type) else { throw ZMQError("zmq_socket") }
        return ZMQSocket(s)
    }

    /// Waits until every socket is closed and their queued messages are sent
    /// (each socket's linger bounds the wait).
    func terminate() {
        while zmq_ctx_term(handle) != 0, zmq_errno() == EINTR {}
    }
}

/// A ZeroMQ socket. Not thread-safe: one thread uses it at a time (the
/// iopub socket is shared behind a lock, see `IOPub`).
final class ZMQSocket: @unchecked Sendable {
    private var handle: UnsafeMutableRawPointer?

    init(_ handle: UnsafeMutableRawPointer) {
        self.handle = handle
        // Pending messages get one second to go out when the socket closes.
        var linger: Int32 = 1000
        zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size)
    }

    /// Binds to `endpoint` ("tcp://127.0.0.1:5555"); port 0 picks a free one.
    /// Returns the endpoint bound.
    @discardableResult
    func bind(_ endpoint: String) throws(ZMQError) -> String {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("cannot bind \(endpoint)") }
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
        return String(cString: buffer)
    }

    /// Sends the frames as one multipart message.
    func send(_ frames: [[UInt8]]) throws(ZMQError) {
        for (i, frame) in frames.enumerated() {
            let flags = i + 1 < frames.count ? ZMQ_SNDMORE : 0
            while true {
                let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                if sent >= 0 { break }
                if zmq_errno() != EINTR { throw ZMQError("zmq_send") }
            }
        }
    }

    /// Receives one multipart message (blocking).
    func receive() throws(ZMQError) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        repeat {
            while zmq_msg_recv(&message, handle, 0) < 0 {
                if zmq_errno() != EINTR { throw ZMQError("zmq_msg_recv") }
            }
            let size = zmq_msg_size(&message)
            let data = zmq_msg_data(&message)!.assumingMemoryBound(to: UInt8.self)
            frames.append(Array(UnsafeBufferPointer(start: data, count: size)))
        } while zmq_msg_more(&message) != 0
        return frames
    }

    /// Whether a message is waiting, after at most `milliseconds` (-1: no limit).
    /// A signal ends the wait early (false).
    func waitForMessage(milliseconds: Int) throws(ZMQError) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0)
        let ready = zmq_poll(&item, 1, milliseconds)
        if ready < 0 {
            if zmq_errno() == EINTR { return false }
            throw ZMQError("zmq_poll")
        }
        return item.revents & Int16(ZMQ_POLLIN) != 0
    }

    func close() {
        guard let h = handle else { return }
        zmq_close(h)
        handle = nil
    }
}
