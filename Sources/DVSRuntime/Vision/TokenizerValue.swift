import DVSData
import DVSLang

/// A tokenizer as a DVS value: `tok.encode(text)`, `tok.decode(ids)`,
/// `tok.id("word")`, `tok.size`, `tok.vocab`.
final class TokenizerValue: DVSObject {
    let tokenizer: WordTokenizer
    init(_ tokenizer: WordTokenizer) { self.tokenizer = tokenizer }

    var typeName: String { "tokenizer" }
    var summary: String { "<word tokenizer: \(tokenizer.size) tokens>" }
    var memberNames: [String] { ["encode", "decode", "id", "size", "vocab", "unk"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        let tok = tokenizer
        switch name {
        case "size": return .number(Double(tok.size))
        case "vocab": return .list(tok.vocabulary.map { .string($0) })
        case "unk": return .number(Double(tok.unknownID))
        case "encode":
            return .function(NativeFunction("encode", [.init("text", "string")], returns: "list",
                                            help: "Ids of the whitespace-separated words of text (unknown words → the unknown id).") { a in
                .list(tok.encode(try a.string(0)).map { .number(Double($0)) })
            })
        case "decode":
            return .function(NativeFunction("decode", [.init("ids", "list"), .init("skip_specials", "bool", default: .bool(false))],
                                            returns: "string", help: "The words of ids, joined by spaces.") { a in
                var ids: [Int] = []
                for item in try a.list(0).items {
                    guard case .number(let n) = item, let i = exactInt(n) else { throw NativeError("decode: ids must be whole numbers, got \(item.repr)") }
                    ids.append(i)
                }
                do { return .string(try tok.decode(ids, skipSpecials: try a.bool(1))) } catch { throw NativeError("\(error)") }
            })
        case "id":
            return .function(NativeFunction("id", [.init("token", "string")], returns: "number|nil", help: "The id of a token, or nil.") { a in
                tok.id(of: try a.string(0)).map { .number(Double($0)) } ?? .null
            })
        default: return nil
        }
    }
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
