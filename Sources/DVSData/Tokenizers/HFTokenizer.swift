import DVSVision

/// A Hugging Face tokenizer (`tokenizer.json`, or a WordPiece `vocab.txt`),
/// encoding as the `tokenizers` package does: added tokens are found in the
/// original text (and, for `normalized` ones, in the normalized text), the
/// rest is normalized, pre-tokenized into words and each word tokenized by
/// the model; offsets point into the original text in Unicode scalars.
///
/// Post-processors: ByteLevel's `trim_offsets` is applied; the special tokens
/// that TemplateProcessing/BertProcessing/RobertaProcessing would add around
/// a sequence are not (as `encode(text, add_special_tokens=False)`); add them
/// by id where the model's template needs them.
public final class HFTokenizer: TextTokenizer {
    let normalizer: TextNormalizer?
    let preTokenizer: PreTokenizer?
    let model: any SubwordModel
    let decoder: TokenDecoder?
    /// ByteLevel post-processing with `trim_offsets`: its `add_prefix_space`.
    let trimOffsets: Bool?
    public let addedTokens: [AddedToken]
    private let rawMatcher: AddedTokenMatcher
    private let normalizedMatcher: AddedTokenMatcher
    private let addedByID: [Int: AddedToken]
    private let addedByContent: [String: Int]
    private let byteLevel: Bool
    public let kindDescription: String
    public let vocabSize: Int
    public let idBound: Int
    public let unknownTokenID: Int?

    init(
        model: any SubwordModel, kind: String, normalizer: TextNormalizer?, preTokenizer: PreTokenizer?,
        decoder: TokenDecoder?, trimOffsets: Bool?, addedTokens: [AddedToken], unknown: String?
    ) {
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.decoder = decoder
        self.trimOffsets = trimOffsets
        self.addedTokens = addedTokens
        byteLevel = preTokenizer?.isByteLevel ?? false
        kindDescription = kind
        var byID: [Int: AddedToken] = [:], byContent: [String: Int] = [:]
        for t in addedTokens {
            byID[t.id] = t
            byContent[t.content] = t.id
        }
        addedByID = byID
        addedByContent = byContent
        rawMatcher = AddedTokenMatcher(addedTokens.filter { !$0.normalized }.map { ($0, Array($0.content.unicodeScalars)) })
        normalizedMatcher = AddedTokenMatcher(
            addedTokens.filter(\.normalized).map { token in
                var text = AlignedText(original: token.content.unicodeScalars, base: 0)
                normalizer?.apply(&text)
                return (token, text.scalars)
            })
        var distinct = Set(model.tokens.compactMap { $0 })
        distinct.formUnion(byContent.keys)
        vocabSize = distinct.count
        idBound = Swift.max(model.tokens.count, (addedTokens.map(\.id).max() ?? -1) + 1)
        unknownTokenID = unknown.flatMap { byContent[$0] ?? model.id(of: $0) }
    }

    public var specialTokens: [(token: String, id: Int)] {
        addedTokens.filter(\.special).sorted { $0.id < $1.id }.map { ($0.content, $0.id) }
    }

    public func token(_ id: Int) -> String? {
        if let t = addedByID[id] { return t.content }
        return id >= 0 && id < model.tokens.count ? model.tokens[id] : nil
    }

    public func id(of token: String) -> Int? { addedByContent[token] ?? model.id(of: token) }

    public func encode(_ text: String) -> TokenEncoding {
        let original = Array(text.unicodeScalars)
        var out = TokenEncoding()
        out.ids.reserveCapacity(original.count / 3)
        out.offsets.reserveCapacity(original.count / 3)
        // The text each added token matched (with any stripped spaces), by position: trim_offsets reads it.
        var matched: [Int: String] = [:]
        for (range, token) in rawMatcher.split(original) where !range.isEmpty {
            if let token {
                matched[out.ids.count] = String(scalars: original[range])
                out.ids.append(token.id)
                out.offsets.append(range)
                continue
            }
            var segment = AlignedText(original: original[range], base: range.lowerBound)
            normalizer?.apply(&segment)
            let parts = normalizedMatcher.isEmpty ? [(0..<segment.count, nil)] : normalizedMatcher.split(segment.scalars)
            for (r, token) in parts where !r.isEmpty {
                if let token {
                    matched[out.ids.count] = String(scalars: segment.scalars[r])
                    out.ids.append(token.id)
                    out.offsets.append(segment.originalRange(r))
                    continue
                }
                let part = r.count == segment.count ? segment : segment.slice(r)
                for word in preTokenizer?.apply([part]) ?? [part] where !word.isEmpty {
                    tokenize(word, into: &out)
                }
            }
        }
        if let addPrefixSpace = trimOffsets { trim(&out, matched: matched, addPrefixSpace: addPrefixSpace) }
        return out
    }

    /// The model's tokens of one word, with original offsets.
    private func tokenize(_ word: AlignedText, into out: inout TokenEncoding) {
        guard byteLevel else {
            for t in model.tokenize(word.scalars) {
                out.ids.append(Int(t.id))
                out.offsets.append(word.originalRange(Int(t.start)..<Int(t.end)))
            }
            return
        }
        // ByteLevel: the model sees one character per UTF-8 byte; map bytes back to scalars.
        var units: [Unicode.Scalar] = []
        units.reserveCapacity(word.count)
        var scalarOfUnit: [Int32] = []
        let ascii = word.scalars.allSatisfy { $0.isASCII }
        if !ascii { scalarOfUnit.reserveCapacity(word.count * 2) }
        for (k, s) in word.scalars.enumerated() {
            if ascii {
                units.append(ByteLevelAlphabet.characters[Int(s.value)])
                continue
            }
            UTF8.encode(s) { b in
                units.append(ByteLevelAlphabet.characters[Int(b)])
                scalarOfUnit.append(Int32(k))
            }
        }
        for t in model.tokenize(units) {
            let a = ascii ? Int(t.start) : Int(scalarOfUnit[Int(t.start)])
            let b = ascii ? Int(t.end) : Int(scalarOfUnit[Int(t.end) - 1]) + 1
            out.ids.append(Int(t.id))
            out.offsets.append(word.originalRange(a..<b))
        }
    }

    /// ByteLevel's `trim_offsets`: offsets lose the spaces (`Ġ` or whitespace)
    /// at the ends of their tokens (for added tokens, of the text they matched),
    /// except the one prefix space of the first token.
    private func trim(_ e: inout TokenEncoding, matched: [Int: String], addPrefixSpace: Bool) {
        let space = ByteLevelAlphabet.characters[0x20]
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == space || c.properties.isWhitespace }
        for i in e.ids.indices {
            guard let text = matched[i] ?? token(e.ids[i]) else { continue }
            let scalars = Array(text.unicodeScalars)
            var leading = scalars.prefix(while: isSpace).count
            let trailing = scalars.reversed().prefix(while: isSpace).count
            var (a, b) = (e.offsets[i].lowerBound, e.offsets[i].upperBound)
            if leading > 0 {
                if (i == 0 || a == 0) && addPrefixSpace && leading == 1 { leading = 0 }
                a = Swift.min(a + leading, b)
            }
            if trailing > 0 && b >= trailing { b = Swift.max(b - trailing, a) }
            e.offsets[i] = a..<b
        }
    }

    public func decode(_ ids: [Int], skipSpecials: Bool = false) throws -> String {
        var tokens: [String] = []
        for id in ids {
            guard let t = token(id) else { throw TokenizerError("decode: id \(id) is not in the vocabulary") }
            if skipSpecials, addedByID[id]?.special == true { continue }
            tokens.append(t)
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decodeChain(tokens).joined()
    }
}
