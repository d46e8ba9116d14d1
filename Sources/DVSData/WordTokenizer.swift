import DVSVision

/// A word-level tokenizer: one id per known word, special tokens first
/// (`[PAD] [UNK] [BOS] [SEP] [EOS]` by default, in that order), then the
/// vocabulary in the order given (duplicates ignored). Unknown words map to
/// `[UNK]`. Text is split on whitespace; matching is exact (case-sensitive).
public struct WordTokenizer: TextTokenizer {
    public static let defaultSpecials = ["[PAD]", "[UNK]", "[BOS]", "[SEP]", "[EOS]"]

    public let vocabulary: [String]
    private let ids: [String: Int]
    public let unknownID: Int

    /// Errors are plain messages (the runtime turns them into DVS errors).
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(words: [String], specials: [String] = WordTokenizer.defaultSpecials, unknown: String = "[UNK]") throws {
        guard specials.contains(unknown) else {
            throw Failure(description: "word_tokenizer: the unknown token '\(unknown)' must be one of the specials \(specials)")
        }
        var vocabulary: [String] = []
        var ids: [String: Int] = [:]
        for token in specials + words where ids[token] == nil {
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) || specials.contains(token) else {
                throw Failure(description: "word_tokenizer: words must be non-empty and without spaces, got \"\(token)\"")
            }
            ids[token] = vocabulary.count
            vocabulary.append(token)
        }
        self.vocabulary = vocabulary
        self.ids = ids
        self.unknownID = ids[unknown]!
    }

    public var size: Int { vocabulary.count }

    /// The id of a token (special or word), or nil when unknown.
    public func id(of token: String) -> Int? { ids[token] }

    /// Ids of the whitespace-separated words of `text`, with their scalar ranges.
    public func encode(_ text: String) -> TokenEncoding {
        var out = TokenEncoding()
        var word = String.UnicodeScalarView(), start = 0
        func flush(_ end: Int) {
            guard !word.isEmpty else { return }
            out.ids.append(ids[String(word)] ?? unknownID)
            out.offsets.append(start..<end)
            word = String.UnicodeScalarView()
        }
        for (i, s) in text.unicodeScalars.enumerated() {
            if s.properties.isWhitespace {
                flush(i)
            } else {
                if word.isEmpty { start = i }
                word.append(s)
            }
        }
        flush(text.unicodeScalars.count)
        return out
    }

    public var kindDescription: String { "word tokenizer" }
    public var vocabSize: Int { vocabulary.count }
    public var idBound: Int { vocabulary.count }
    public var unknownTokenID: Int? { unknownID }
    public func token(_ id: Int) -> String? { id >= 0 && id < vocabulary.count ? vocabulary[id] : nil }

    /// The specials: the bracketed tokens at the start of the vocabulary.
    public var specialTokens: [(token: String, id: Int)] {
        vocabulary.prefix(specialsCount).enumerated().map { ($1, $0) }
    }

    /// Text of ids (joined by spaces); ids outside the vocabulary are an error.
    public func decode(_ tokenIDs: [Int], skipSpecials: Bool = false) throws -> String {
        var words: [String] = []
        for id in tokenIDs {
            guard id >= 0, id < vocabulary.count else {
                throw Failure(description: "decode: id \(id) is outside the vocabulary (0..<\(vocabulary.count))")
            }
            if skipSpecials, id < specialsCount { continue }
            words.append(vocabulary[id])
        }
        return words.joined(separator: " ")
    }

    private var specialsCount: Int { vocabulary.prefix { $0.hasPrefix("[") && $0.hasSuffix("]") }.count }

    /// A word is one piece covering all its characters (Unicode scalars; unknown words → `[UNK]`).
    public func pieces(of word: String) -> [(id: Int, characters: Range<Int>)] {
        [(ids[word] ?? unknownID, 0..<word.unicodeScalars.count)]
    }
}
