/// What the DV-SFT labeler needs from a tokenizer: a word's sub-tokens, each
/// with the range of the word's characters (Unicode scalars) it covers (for
/// the `span` mode, which splits a word's box among its sub-tokens by
/// character extent). DVSData's tokenizers conform.
public protocol WordPieceEncoder {
    /// The sub-tokens of one word alone, in order.
    func pieces(of word: String) -> [(id: Int, characters: Range<Int>)]
    /// The sub-tokens of each word of a line, tokenized in context: the words
    /// joined by single spaces, as the model reads the line. A word's pieces
    /// are the tokens overlapping it (ranges clipped to the word); the default
    /// tokenizes each word alone.
    func pieces(ofLine words: [String]) -> [[(id: Int, characters: Range<Int>)]]
}

extension WordPieceEncoder {
    public func pieces(ofLine words: [String]) -> [[(id: Int, characters: Range<Int>)]] {
        words.map { pieces(of: $0) }
    }
}
