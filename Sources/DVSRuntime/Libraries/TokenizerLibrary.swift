import DVSData
import DVSLang

enum TokenizerLibrary {
    /// The strings of list argument `i`.
    private static func strings(_ a: Arguments, _ i: Int) throws(NativeError) -> [String] {
        var out: [String] = []
        let items: [Value]
        if case .list(let l) = a[i] { items = l.items } else { throw a.bad(i, "list of strings") }
        for item in items {
            guard case .string(let s) = item else { throw NativeError("\(a.function.name): '\(a.function.parameters[i].name)' must hold strings, got \(item.typeName)") }
            out.append(s)
        }
        return out
    }

    private static func wordTokenizer(_ words: [String], specials: [String], unknown: String) throws(NativeError) -> Value {
        do {
            return .object(TokenizerValue(try WordTokenizer(words: words, specials: specials, unknown: unknown)))
        } catch {
            throw NativeError("\(error)")
        }
    }

    static let functions: [NativeFunction] = [
        NativeFunction("word_tokenizer", [.init("words", "list"),
                                          .init("specials", "list", default: .list(WordTokenizer.defaultSpecials.map { .string($0) })),
                                          .init("unknown", "string", default: .string("[UNK]"))],
                       returns: "tokenizer",
                       help: "A word-level tokenizer: the specials ([PAD] [UNK] [BOS] [SEP] [EOS]) get the first ids, then each distinct word in order. tok.encode(\"the cat\").ids, tok.decode(ids).") { a in
            try wordTokenizer(try strings(a, 0), specials: try strings(a, 1), unknown: try a.string(2))
        },
        NativeFunction("tokenizer", [.init("source", "string|list"), .init("lowercase", "bool", default: .bool(true))],
                       returns: "tokenizer",
                       help: "A tokenizer from a Hugging Face tokenizer.json (BPE, WordPiece, WordLevel) or a WordPiece vocab.txt (BERT's pipeline; lowercase: false for cased vocabularies), or, given a list of words, a word-level tokenizer (as word_tokenizer). tok.encode(text) → {ids, offsets}, tok.decode(ids), tok.token(id), tok.id(token), tok.vocab_size, tok.specials.") { a in
            if case .list = a[0] {
                return try wordTokenizer(try strings(a, 0), specials: WordTokenizer.defaultSpecials, unknown: "[UNK]")
            }
            guard case .string(let path) = a[0] else { throw a.bad(0, "a file path (string) or a list of words") }
            do {
                return .object(TokenizerValue(try TokenizerFile.load(path, lowercase: try a.bool(1))))
            } catch let e as NativeError {
                throw e
            } catch {
                throw NativeError("\(error)")
            }
        },
    ]
}
