import DVSFiles

/// The connection file a Jupyter client writes for a kernel it starts: the
/// transport and address, the five ports and the signing key.
public struct ConnectionFile: Equatable {
    public enum Channel: String, CaseIterable { case shell, control, iopub, stdin, hb }

    public var transport: String
    public var ip: String
    public var ports: [Channel: Int]
    public var key: String

    /// Reads and checks the file; errors name the file and what is wrong.
    public static func read(_ path: String) throws(KernelError) -> ConnectionFile {
        let bytes: [UInt8]
        do {
            bytes = try ReadFile.bytes(path)
        } catch {
            throw KernelError("connection file: \(error.message)")
        }
        do {
            return try parse(bytes)
        } catch {
            throw KernelError("connection file '\(path)': \(error.message)")
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(KernelError) -> ConnectionFile {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw KernelError("not JSON: \(error)")
        }
        guard case .object = json else { throw KernelError("expected a JSON object, got \(json.kindDescription)") }
        let scheme = json["signature_scheme"]?.stringValue ?? "hmac-sha256"
        guard scheme == "hmac-sha256" else {
            throw KernelError("signature_scheme '\(scheme)' is not supported (only hmac-sha256)")
        }
        let transport = json["transport"]?.stringValue ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else {
            throw KernelError("transport '\(transport)' is not supported (tcp or ipc)")
        }
        var ports: [Channel: Int] = [:]
        for channel in Channel.allCases {
            let name = channel.rawValue + "_port"
            guard let port = json[name]?.intValue, (0...65535).contains(port) else {
                throw KernelError("\(name) must be a port number (0 to 65535), got \(json[name]?.compactText() ?? "nothing")")
            }
            ports[channel] = port
        }
        return ConnectionFile(
            transport: transport, ip: json["ip"]?.stringValue ?? "127.0.0.1", ports: ports,
            key: json["key"]?.stringValue ?? "")
    }

    /// The ZeroMQ endpoint of `channel`: "tcp://127.0.0.1:5555" or "ipc://kernel-ipc-5".
    public func endpoint(_ channel: Channel) -> String {
        let port = ports[channel] ?? 0
        return transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}

/// A kernel error for its user: the message says what and why.
public struct KernelError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
