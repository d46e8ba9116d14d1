import DVSData
import DVSLang

enum TokenizerLibrary {
    private static func wordTokenizer(_ words: [String], specials: [String], unknown: String) throws(NativeError) -> Value {
        do {
            return .object(TokenizerValue(try WordTokenizer(words: words, specials: specials, unknown: unknown)))
        } catch {
            throw NativeError("\(error)")
        }
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "word_tokenizer",
            [
                .init("words", .list(of: .string)),
                .init("specials", .list(of: .string), default: .list(WordTokenizer.defaultSpecials.map { .string($0) })),
                .init("unknown", .string, default: .string("[UNK]")),
            ],
            returns: "tokenizer",
            help:
                "A word-level tokenizer: the specials ([PAD] [UNK] [BOS] [SEP] [EOS]) get the first ids, then each distinct word in order. tok.encode(\"the cat\").ids, tok.decode(ids)."
        ) { a in
            try wordTokenizer(try a.strings(0), specials: try a.strings(1), unknown: try a.string(2))
        },
        NativeFunction(
            "tokenizer", [.init("source", .oneOf([.string, .list(of: .string)])), .init("lowercase", .bool, default: .bool(true))],
            returns: "tokenizer",
            help:
                "A tokenizer from a Hugging Face tokenizer.json (BPE, WordPiece, WordLevel) or a WordPiece vocab.txt (BERT's pipeline; lowercase: false for cased vocabularies), or, given a list of words, a word-level tokenizer (as word_tokenizer). tok.encode(text) → {ids, offsets}, tok.decode(ids), tok.token(id), tok.id(token), tok.vocab_size, tok.specials."
        ) { a in
            if case .list = a[0] {
                return try wordTokenizer(try a.strings(0), specials: WordTokenizer.defaultSpecials, unknown: "[UNK]")
            }
            let path = try a.string(0)
            do {
                let loaded = try ShardTokenizer.load(path, lowercase: try a.bool(1))
                return .object(TokenizerValue(loaded.tokenizer, file: loaded.file))
            } catch let e as NativeError {
                throw e
            } catch {
                throw NativeError("\(error)")
            }
        },
    ]
}
