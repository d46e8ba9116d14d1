import DVSData
import DVSLang

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
