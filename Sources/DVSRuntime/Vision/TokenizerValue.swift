import DVSData
import DVSLang

/// A tokenizer as a DVS value: `tok.encode(text)`, `tok.decode(ids)`,
/// `tok.id("word")`, `tok.token(id)`, `tok.vocab_size`, `tok.specials`.
final class TokenizerValue: DVSObject {
    let tokenizer: any TextTokenizer
    /// The file it was read from, with its SHA-256 (what shard manifests record); nil when made in memory.
    let file: (name: String, sha256: String)?
    init(_ tokenizer: any TextTokenizer, file: (name: String, sha256: String)? = nil) {
        self.tokenizer = tokenizer
        self.file = file
    }

    /// The tokenizer with its file's identity, for `export_shards`.
    var shardTokenizer: ShardTokenizer { ShardTokenizer(tokenizer, fileName: file?.name, sha256: file?.sha256) }

    var typeName: String { "tokenizer" }
    var summary: String { "<\(tokenizer.kindDescription): \(tokenizer.vocabSize) tokens>" }
    /// Properties; the methods (`tok.encode(…)`) are the "tokenizer" method table.
    /// `vocab` lists the token of every id below the largest ("" where an id has none).
    var memberNames: [String] { ["size", "vocab_size", "vocab", "unk", "specials", "kind"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "size", "vocab_size": return .number(Double(tokenizer.vocabSize))
        case "vocab":
            return .list((0..<tokenizer.idBound).map { .string(tokenizer.token($0) ?? "") })
        case "unk": return tokenizer.unknownTokenID.map { .number(Double($0)) } ?? .null
        case "specials": return .record(RecordObject(tokenizer.specialTokens.map { ($0.token, .number(Double($0.id))) }))
        case "kind": return .string(tokenizer.kindDescription)
        default: return nil
        }
    }
}
