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

/// Tokenizer methods: natives whose first parameter is the tokenizer (`tok.encode(text)`).
enum TokenizerMethods {
    private static let receiver = NativeFunction.Parameter("tok", "tokenizer")

    private static func tokenizer(_ a: Arguments) throws(NativeError) -> WordTokenizer {
        try a.object(0, as: TokenizerValue.self, "tokenizer").tokenizer
    }

    static let all: [NativeFunction] = [
        NativeFunction("encode", [receiver, .init("text", "string")], returns: "list",
                       help: "Ids of the whitespace-separated words of text (unknown words → the unknown id).") { a in
            .list(try tokenizer(a).encode(try a.string(1)).map { .number(Double($0)) })
        },
        NativeFunction("decode", [receiver, .init("ids", "list"), .init("skip_specials", "bool", default: .bool(false))],
                       returns: "string", help: "The words of ids, joined by spaces.") { a in
            let tok = try tokenizer(a)
            var ids: [Int] = []
            for item in try a.list(1).items {
                guard case .number(let n) = item, let i = exactInt(n) else { throw NativeError("decode: ids must be whole numbers, got \(item.repr)") }
                ids.append(i)
            }
            do { return .string(try tok.decode(ids, skipSpecials: try a.bool(2))) } catch { throw NativeError("\(error)") }
        },
        NativeFunction("id", [receiver, .init("token", "string")], returns: "number|nil", help: "The id of a token, or nil.") { a in
            try tokenizer(a).id(of: try a.string(1)).map { .number(Double($0)) } ?? .null
        },
    ]
}

enum TokenizerLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction("word_tokenizer", [.init("words", "list"),
                                          .init("specials", "list", default: .list(WordTokenizer.defaultSpecials.map { .string($0) })),
                                          .init("unknown", "string", default: .string("[UNK]"))],
                       returns: "tokenizer",
                       help: "A word-level tokenizer: the specials ([PAD] [UNK] [BOS] [SEP] [EOS]) get the first ids, then each distinct word in order. tok.encode(\"the cat\"), tok.decode(ids).") { a in
            func strings(_ i: Int) throws(NativeError) -> [String] {
                var out: [String] = []
                for item in try a.list(i).items {
                    guard case .string(let s) = item else { throw NativeError("word_tokenizer: '\(a.function.parameters[i].name)' must hold strings, got \(item.typeName)") }
                    out.append(s)
                }
                return out
            }
            do {
                return .object(TokenizerValue(try WordTokenizer(words: try strings(0), specials: try strings(1), unknown: try a.string(2))))
            } catch let e as NativeError {
                throw e
            } catch {
                throw NativeError("\(error)")
            }
        },
    ]
}
