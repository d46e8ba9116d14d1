/// A token from `tokenizer.json`'s `added_tokens`: matched in the text before
/// pre-tokenization, so it is never split.
public struct AddedToken: Sendable, Equatable {
    public var id: Int
    public var content: String
    /// Special tokens are skipped by `decode(…, skipSpecials: true)`.
    public var special: Bool
    /// Matches only when not preceded or followed by a word character (`\w`).
    public var singleWord = false
    /// Also takes the whitespace before (`lstrip`) / after (`rstrip`) it.
    public var lstrip = false
    public var rstrip = false
    /// Matched in the normalized text (its content normalized too) rather than the original.
    public var normalized = false
}

/// Finds added tokens in text as `tokenizers`' `AddedVocabulary` does:
/// leftmost-longest, non-overlapping; a match a `singleWord` rule rejects is
/// skipped (the search goes on after it); `lstrip`/`rstrip` widen the match
/// over adjacent whitespace (never into the previous match).
struct AddedTokenMatcher {
    private struct Pattern {
        let scalars: [Unicode.Scalar]
        let token: AddedToken
    }
    /// Patterns by first scalar, longest first.
    private let byFirst: [Unicode.Scalar: [Pattern]]

    init(_ tokens: [(AddedToken, [Unicode.Scalar])]) {
        var byFirst: [Unicode.Scalar: [Pattern]] = [:]
        for (token, scalars) in tokens where !scalars.isEmpty {
            byFirst[scalars[0], default: []].append(Pattern(scalars: scalars, token: token))
        }
        self.byFirst = byFirst.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    var isEmpty: Bool { byFirst.isEmpty }

    /// The parts of `s`: ranges with the added token found there, or nil for text between.
    func split(_ s: [Unicode.Scalar]) -> [(Range<Int>, AddedToken?)] {
        var out: [(Range<Int>, AddedToken?)] = []
        var done = 0, i = 0
        while i < s.count {
            guard let candidates = byFirst[s[i]],
                let p = candidates.first(where: { i + $0.scalars.count <= s.count && s[i..<i + $0.scalars.count].elementsEqual($0.scalars) })
            else { i += 1; continue }
            var start = i, stop = i + p.scalars.count
            i = stop
            if p.token.singleWord {
                let wordBefore = start > 0 && s[start - 1].isWordCharacter
                let wordAfter = stop < s.count && s[stop].isWordCharacter
                if wordBefore || wordAfter { continue }
            }
            if p.token.lstrip {
                while start > done && s[start - 1].properties.isWhitespace { start -= 1 }
            }
            if p.token.rstrip {
                while stop < s.count && s[stop].properties.isWhitespace { stop += 1 }
                i = stop
            }
            if done < start { out.append((done..<start, nil)) }
            out.append((start..<stop, p.token))
            done = stop
        }
        if done < s.count || out.isEmpty { out.append((done..<s.count, nil)) }
        return out
    }
}
