import DVSData
import DVSLang

enum TokenizerLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction("word_tokenizer", [.init("words", .list(of: .string)),
                                          .init("specials", .list(of: .string), default: .list(WordTokenizer.defaultSpecials.map { .string($0) })),
                                          .init("unknown", .string, default: .string("[UNK]"))],
                       returns: "tokenizer",
                       help: "A word-level tokenizer: the specials ([PAD] [UNK] [BOS] [SEP] [EOS]) get the first ids, then each distinct word in order. tok.encode(\"the cat\"), tok.decode(ids).") { a in
            do {
                return .object(TokenizerValue(try WordTokenizer(words: try a.strings(0), specials: try a.strings(1), unknown: try a.string(2))))
            } catch let e as NativeError {
                throw e
            } catch {
                throw NativeError("\(error)")
            }
        },
    ]
}
