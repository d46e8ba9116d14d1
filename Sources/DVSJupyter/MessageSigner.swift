import CLibCrypto

/// Signs and checks Jupyter messages: HMAC-SHA256 (OpenSSL's libcrypto) over
/// the header, parent header, metadata and content frames, as lowercase hex.
/// With an empty key, messages are not signed (the connection file turned
/// authentication off): the signature is "" and every message is accepted.
public struct MessageSigner: Sendable {
    private let key: [UInt8]

    /// A signer for `key`; an error when there is a key and libcrypto cannot be loaded.
    public init(key: String) throws(KernelError) {
        self.key = Array(key.utf8)
        if isSigning, let failure = dvs_crypto_open() {
            throw KernelError("cannot sign messages: \(String(cString: failure)); install OpenSSL (Debian: libssl3)")
        }
    }

    public var isSigning: Bool { !key.isEmpty }

    /// The signature of `parts`, in order; "" without a key.
    public func signature(_ parts: [[UInt8]]) -> String {
        guard isSigning else { return "" }
        return Self.hex(digest(parts))
    }

    /// Whether `signature` (hex, as received) is the one for `parts`, compared
    /// in constant time. Without a key, any signature is accepted.
    public func verify(_ signature: [UInt8], _ parts: [[UInt8]]) -> Bool {
        guard isSigning else { return true }
        let expected = Array(Self.hex(digest(parts)).utf8)
        guard signature.count == expected.count else { return false }
        return CRYPTO_memcmp(signature, expected, expected.count) == 0
    }

    private func digest(_ parts: [[UInt8]]) -> [UInt8] {
        // HMAC over the frames one after another is HMAC over their concatenation.
        let data = parts.flatMap { $0 }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.bindMemory(to: UInt8.self).baseAddress, d.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
