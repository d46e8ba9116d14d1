/// WordPiece as `tokenizers` does it: greedy longest-match-first from the
/// left, pieces after the first spelled with `continuing_subword_prefix`
/// (`##`); a word with a part no piece matches, or longer than
/// `max_input_chars_per_word` characters, becomes one `unk_token`.
struct WordPieceModel: SubwordModel {
    let vocabulary: Vocabulary
    let unknown: Int32
    let prefix: String
    let maxCharacters: Int

    init(vocabulary: Vocabulary, unknown: String, prefix: String, maxCharacters: Int) throws(TokenizerError) {
        guard let unk = vocabulary[unknown] else { throw TokenizerError("model WordPiece unk_token \"\(unknown)\" is not in the vocabulary") }
        self.vocabulary = vocabulary
        self.unknown = unk
        self.prefix = prefix
        self.maxCharacters = maxCharacters
    }

    func tokenize(_ word: [Unicode.Scalar]) -> [ModelToken] {
        let whole = [ModelToken(id: unknown, start: 0, end: Int32(word.count))]
        guard !word.isEmpty else { return [] }
        guard word.count <= maxCharacters else { return whole }
        var out: [ModelToken] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var piece = start > 0 ? prefix : ""
                piece.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else { return whole }
            out.append(ModelToken(id: id, start: Int32(start), end: Int32(end)))
            start = end
        }
        return out
    }
}

/// WordLevel: the whole word is one token, or `unk_token`.
struct WordLevelModel: SubwordModel {
    let vocabulary: Vocabulary
    let unknown: Int32?

    func tokenize(_ word: [Unicode.Scalar]) -> [ModelToken] {
        guard !word.isEmpty else { return [] }
        guard let id = vocabulary[String(scalars: word)] ?? unknown else { return [] }
        return [ModelToken(id: id, start: 0, end: Int32(word.count))]
    }
}
