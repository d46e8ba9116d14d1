/// Words of a line tokenized in context (DV-SFT labels for BPE tokenizers,
/// where a word's tokens depend on the space before it, its case and its
/// punctuation: `DV-SFT` → `DV`, `-S`, `FT`).
extension TextTokenizer {
    /// The line is the words joined by single spaces, encoded once. A token
    /// belongs to every word its non-space characters overlap, with its range
    /// clipped to the word (so a leading-space piece such as `Ġ` split off
    /// before digits belongs to no word, and `Ġcat` covers all of `cat`). A
    /// token straddling two words (an added token that strips spaces, or a
    /// pattern that keeps a space inside a piece) is a piece of both.
    public func pieces(ofLine words: [String]) -> [[(id: Int, characters: Range<Int>)]] {
        var spans: [Range<Int>] = []
        var line = String.UnicodeScalarView()
        var isSpace: [Bool] = []
        for (k, w) in words.enumerated() {
            if k > 0 {
                line.append(" ")
                isSpace.append(true)
            }
            let start = isSpace.count
            line.append(contentsOf: w.unicodeScalars)
            isSpace.append(contentsOf: w.unicodeScalars.map { $0.properties.isWhitespace })
            spans.append(start..<isSpace.count)
        }
        let encoding = encode(String(line))
        var out = [[(id: Int, characters: Range<Int>)]](repeating: [], count: words.count)
        var w = 0
        for (id, r) in zip(encoding.ids, encoding.offsets) {
            // The token's characters without its leading and trailing spaces.
            var a = Swift.max(0, r.lowerBound), b = Swift.min(r.upperBound, isSpace.count)
            while a < b && isSpace[a] { a += 1 }
            while b > a && isSpace[b - 1] { b -= 1 }
            guard a < b else { continue }
            while w < spans.count && spans[w].upperBound <= a { w += 1 }
            var k = w
            while k < spans.count && spans[k].lowerBound < b {
                let lo = Swift.max(a, spans[k].lowerBound), hi = Swift.min(b, spans[k].upperBound)
                if lo < hi { out[k].append((id, lo - spans[k].lowerBound..<hi - spans[k].lowerBound)) }
                k += 1
            }
        }
        return out
    }

    /// A word alone: its tokens with their ranges in the word.
    public func pieces(of word: String) -> [(id: Int, characters: Range<Int>)] {
        pieces(ofLine: [word])[0]
    }
}
