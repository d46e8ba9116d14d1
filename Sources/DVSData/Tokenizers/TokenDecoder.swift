/// A `tokenizer.json` decoder: turns tokens back into text.
indirect enum TokenDecoder {
    /// ByteLevel characters back to bytes (a token with other characters
    /// stands for its own UTF-8), then UTF-8 with invalid bytes as U+FFFD.
    case byteLevel
    /// Pieces starting with `prefix` glue to the previous one, others get a
    /// space; `cleanup` removes spaces before punctuation and contractions.
    case wordPiece(prefix: String, cleanup: Bool)
    /// `suffix` (end of word) becomes a space, except in the last token.
    case bpe(suffix: String)
    case sequence([TokenDecoder])

    func decodeChain(_ tokens: [String]) -> [String] {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for t in tokens {
                let mapped = t.unicodeScalars.map { ByteLevelAlphabet.byte(of: $0) }
                if mapped.allSatisfy({ $0 != nil }) { bytes += mapped.map { $0! } } else { bytes += Array(t.utf8) }
            }
            return [String(decoding: bytes, as: UTF8.self)]
        case .wordPiece(let prefix, let cleanup):
            return tokens.enumerated().map { i, token in
                var t = token
                if i != 0 { t = t.hasPrefix(prefix) ? String(t.dropFirst(prefix.count)) : " " + t }
                return cleanup ? TokenDecoder.cleanup(t) : t
            }
        case .bpe(let suffix):
            return tokens.enumerated().map { i, t in t.replacingAll(suffix, with: i == tokens.count - 1 ? "" : " ") }
        case .sequence(let steps):
            return steps.reduce(tokens) { $1.decodeChain($0) }
        }
    }

    /// WordPiece's cleanup of tokenization spaces.
    private static func cleanup(_ s: String) -> String {
        let rules = [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
            (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ]
        return rules.reduce(s) { $0.replacingAll($1.0, with: $1.1) }
    }
}

extension String {
    /// Every non-overlapping occurrence of `target` (compared by scalars) replaced.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        let s = Array(unicodeScalars), t = Array(target.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if i + t.count <= s.count, s[i..<i + t.count].elementsEqual(t) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }
}

/// GPT-2's table between bytes and the printable characters that stand for
/// them in ByteLevel vocabularies (`Ġ` for a space, `Ċ` for a newline).
enum ByteLevelAlphabet {
    /// The character of each byte.
    static let characters: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var n: UInt32 = 0
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(256 + n)!
                n += 1
            }
        }
        return table
    }()

    private static let bytes: [UInt32: UInt8] = {
        var d: [UInt32: UInt8] = [:]
        for (b, c) in characters.enumerated() { d[c.value] = UInt8(b) }
        return d
    }()

    static func byte(of c: Unicode.Scalar) -> UInt8? { bytes[c.value] }
}
