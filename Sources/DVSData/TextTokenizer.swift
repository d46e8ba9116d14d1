import DVSVision

/// Token ids of a text with, for each, the range of the text it came from in
/// Unicode scalars (code points: what Python's `tokenizers` returns as
/// `Encoding.offsets` for a `str`).
public struct TokenEncoding: Equatable, Sendable {
    public var ids: [Int]
    public var offsets: [Range<Int>]

    public init(ids: [Int] = [], offsets: [Range<Int>] = []) {
        self.ids = ids
        self.offsets = offsets
    }
}

/// What a DVS tokenizer value offers, whatever its kind (word-level, or a
/// Hugging Face tokenizer loaded from `tokenizer.json` / `vocab.txt`).
public protocol TextTokenizer: WordPieceEncoder, Sendable {
    /// "word tokenizer", "BPE tokenizer", … for summaries.
    var kindDescription: String { get }
    /// The number of distinct tokens (added tokens included).
    var vocabSize: Int { get }
    /// One more than the largest id (ids below it may have no token).
    var idBound: Int { get }
    /// The id of the unknown token, if the tokenizer has one.
    var unknownTokenID: Int? { get }
    /// Special tokens with their ids, in id order.
    var specialTokens: [(token: String, id: Int)] { get }
    func encode(_ text: String) -> TokenEncoding
    /// The text of ids; an id with no token is an error.
    func decode(_ ids: [Int], skipSpecials: Bool) throws -> String
    func token(_ id: Int) -> String?
    func id(of token: String) -> Int?
}
