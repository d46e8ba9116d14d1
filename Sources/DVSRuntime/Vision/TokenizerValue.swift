import DVSData
import DVSLang

/// A tokenizer as a DVS value: `tok.encode(text)`, `tok.decode(ids)`,
/// `tok.id("word")`, `tok.size`, `tok.vocab`.
final class TokenizerValue: DVSObject {
    let tokenizer: WordTokenizer
    init(_ tokenizer: WordTokenizer) { self.tokenizer = tokenizer }

    var typeName: String { "tokenizer" }
    var summary: String { "<word tokenizer: \(tokenizer.size) tokens>" }
    /// Properties; the methods (`tok.encode(…)`) are the "tokenizer" method table.
    var memberNames: [String] { ["size", "vocab", "unk"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "size": return .number(Double(tokenizer.size))
        case "vocab": return .list(tokenizer.vocabulary.map { .string($0) })
        case "unk": return .number(Double(tokenizer.unknownID))
        default: return nil
        }
    }
}
