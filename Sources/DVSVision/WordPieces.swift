/// What the DV-SFT labeler needs from a tokenizer: a word's sub-tokens, each
/// with the range of the word's characters it covers (for the `span` mode,
/// which splits a word's box among its sub-tokens by character extent).
/// DVSData's tokenizers (word-level now, BPE later) conform.
public protocol WordPieceEncoder {
    /// The sub-tokens of one word, in order; their character ranges tile the word.
    func pieces(of word: String) -> [(id: Int, characters: Range<Int>)]
}
