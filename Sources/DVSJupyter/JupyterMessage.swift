import DVSFiles
import Foundation

/// One message of the Jupyter messaging protocol (version 5.3), as on the wire:
///
///     [identities…] "<IDS|MSG>" signature header parent_header metadata content [buffers…]
///
/// The signature is HMAC-SHA256 over the four JSON frames, as sent (see `MessageSigner`).
public struct JupyterMessage {
    public static let protocolVersion = "5.3"
    static let delimiter = Array("<IDS|MSG>".utf8)

    /// The ROUTER identities to reply to (empty on iopub, where the topic stands here).
    public var identities: [[UInt8]]
    public var header: JSONValue
    public var parentHeader: JSONValue
    public var metadata: JSONValue
    public var content: JSONValue
    public var buffers: [[UInt8]] = []

    public var type: String { header["msg_type"]?.stringValue ?? "" }
    public var id: String { header["msg_id"]?.stringValue ?? "" }

    /// Why a received message was dropped.
    public struct WireError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses the frames of a received message and checks its signature.
    public static func decode(_ frames: [[UInt8]], signer: MessageSigner) throws(WireError) -> JupyterMessage {
        guard let split = frames.firstIndex(of: delimiter) else {
            throw WireError(description: "a message without the <IDS|MSG> delimiter")
        }
        let rest = Array(frames[(split + 1)...])
        guard rest.count >= 5 else {
            throw WireError(description: "a message with \(rest.count) frames after <IDS|MSG>, expected at least 5")
        }
        let parts = Array(rest[1...4])
        if signer.isSigning, rest[0].isEmpty { throw WireError(description: "an unsigned message (the kernel's key is set)") }
        guard signer.verify(rest[0], parts) else { throw WireError(description: "a message with a wrong signature") }
        var json: [JSONValue] = []
        for (name, part) in zip(["header", "parent_header", "metadata", "content"], parts) {
            let value: JSONValue
            do {
                value = try JSONValue.parse(part)
            } catch {
                throw WireError(description: "a message whose \(name) is not JSON: \(error)")
            }
            guard case .object = value else { throw WireError(description: "a message whose \(name) is \(value.kindDescription), expected an object") }
            json.append(value)
        }
        return JupyterMessage(
            identities: Array(frames[..<split]), header: json[0], parentHeader: json[1],
            metadata: json[2], content: json[3], buffers: Array(rest.dropFirst(5)))
    }

    /// The frames to send, signed.
    public func encode(signer: MessageSigner) -> [[UInt8]] {
        let parts = [header.bytes, parentHeader.bytes, metadata.bytes, content.bytes]
        return identities + [Self.delimiter, Array(signer.signature(parts).utf8)] + parts + buffers
    }

    /// A new message of `type` in `session`, in reply to (or caused by) `parent`.
    public static func make(
        _ type: String, content: JSONValue, parent: JupyterMessage?, session: String,
        identities: [[UInt8]] = [], metadata: JSONValue = .emptyObject
    ) -> JupyterMessage {
        let header = JSONValue.object([
            ("msg_id", .string(UUID().uuidString.lowercased())),
            ("session", .string(session)),
            ("username", .string("dvs")),
            ("date", .string(timestamp())),
            ("msg_type", .string(type)),
            ("version", .string(protocolVersion)),
        ])
        return JupyterMessage(
            identities: identities, header: header, parentHeader: parent?.header ?? .emptyObject,
            metadata: metadata, content: content)
    }

    /// Now in ISO 8601 with microseconds, UTC: "2026-12-01T10:20:30.123456Z".
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, Int(now.tv_nsec / 1000))
    }
}
