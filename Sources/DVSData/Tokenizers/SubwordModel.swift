/// A token the model made from one pre-tokenized word: its id and the range
/// of the word's units (scalars, or bytes for byte-level words) it covers.
struct ModelToken: Equatable {
    var id: Int32
    var start: Int32
    var end: Int32
}

/// The `model` of a `tokenizer.json` (BPE, WordPiece or WordLevel): turns one
/// pre-tokenized word into tokens, and maps tokens to ids and back.
protocol SubwordModel: Sendable {
    var vocabulary: Vocabulary { get }
    /// The tokens of `word` (its units: scalars, or ByteLevel characters).
    func tokenize(_ word: [Unicode.Scalar]) -> [ModelToken]
}

extension SubwordModel {
    /// The model's tokens, indexed by id (nil for ids it has no token for).
    var tokens: [String?] { vocabulary.tokens }
    func id(of token: String) -> Int? { vocabulary[token].map(Int.init) }
}

extension String {
    /// The string of these scalars.
    init<S: Sequence>(scalars: S) where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
}

/// A vocabulary from `tokenizer.json` or `vocab.txt`: token → id, and the
/// tokens by id.
struct Vocabulary: Sendable {
    /// Ids must be below this (the largest real vocabularies hold a few hundred thousand tokens).
    static let idLimit = 1 << 24
    let ids: [String: Int32]
    let tokens: [String?]

    init(_ pairs: [(String, Int)]) throws(TokenizerError) {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(pairs.count)
        var tokens: [String?] = []
        for (token, id) in pairs {
            guard id >= 0, id < Vocabulary.idLimit else {
                throw TokenizerError("the id \(id) of the token \"\(token)\" is out of range (0..<\(Vocabulary.idLimit))")
            }
            if id >= tokens.count { tokens.append(contentsOf: repeatElement(nil, count: id + 1 - tokens.count)) }
            ids[token] = Int32(id)
            tokens[id] = token
        }
        self.ids = ids
        self.tokens = tokens
    }

    subscript(token: String) -> Int32? { ids[token] }
}
