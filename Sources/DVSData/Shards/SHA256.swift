import CLibCrypto
import DVSFiles

/// SHA-256 through OpenSSL's libcrypto (EVP): the digest shard manifests
/// record for the tokenizer file, as `sha256sum` prints it.
public enum SHA256 {
    /// The lowercase hex digest of `bytes`; an error when libcrypto cannot be loaded.
    public static func hex(_ bytes: [UInt8]) throws(FileError) -> String {
        if let failure = dvs_crypto_open() { throw FileError("SHA-256: \(String(cString: failure))") }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { b in
            EVP_Digest(b.baseAddress, b.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")  // only on allocation failure inside OpenSSL
        return digest[..<32].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// The digest of the file at `path`.
    public static func file(_ path: String) throws(FileError) -> String {
        try hex(try ReadFile.bytes(path))
    }
}
