/// What `Split` does with the pattern's matches (`tokenizers`' `SplitDelimiterBehavior`).
enum SplitBehavior: String {
    case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"

    /// The pieces of a text of `count` scalars with these `matches` (ascending,
    /// disjoint; `invert` swaps matches and the text between them). Empty
    /// pieces are dropped, as `tokenizers` drops them.
    func pieces(count: Int, matches: [Range<Int>], invert: Bool = false) -> [Range<Int>] {
        // Every part of the text, tagged match or not (find_matches).
        var parts: [(Range<Int>, Bool)] = []
        var last = 0
        for m in matches {
            if last < m.lowerBound { parts.append((last..<m.lowerBound, invert)) }
            parts.append((m, !invert))
            last = m.upperBound
        }
        if last < count || parts.isEmpty { parts.append((last..<count, invert)) }
        var out: [Range<Int>] = []
        switch self {
        case .removed: out = parts.filter { !$0.1 }.map(\.0)
        case .isolated: out = parts.map(\.0)
        case .contiguous, .mergedWithPrevious:
            var previousMatch = false
            for (r, isMatch) in parts {
                let merge = self == .contiguous ? isMatch == previousMatch : isMatch && !previousMatch
                if merge, let lastPiece = out.last {
                    out[out.count - 1] = lastPiece.lowerBound..<r.upperBound
                } else {
                    out.append(r)
                }
                previousMatch = isMatch
            }
        case .mergedWithNext:
            var previousMatch = false
            for (r, isMatch) in parts.reversed() {
                if isMatch && !previousMatch, let lastPiece = out.last {
                    out[out.count - 1] = r.lowerBound..<lastPiece.upperBound
                } else {
                    out.append(r)
                }
                previousMatch = isMatch
            }
            out.reverse()
        }
        return out.filter { !$0.isEmpty }
    }
}

/// A `tokenizer.json` pre-tokenizer: splits normalized text into words.
indirect enum PreTokenizer {
    /// GPT-2's: an optional prefix space, the GPT-2 regex when `useRegex`, then
    /// every word's UTF-8 bytes as ByteLevel characters (done by the tokenizer
    /// when it hands words to the model). Must come last in a sequence.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    case split(SplitPattern, SplitBehavior, invert: Bool)
    /// Runs of word characters and runs of other non-space characters (`\w+|[^\w\s]+`).
    case whitespace
    /// Runs of non-whitespace characters.
    case whitespaceSplit
    /// BERT's: whitespace-separated, each punctuation character on its own.
    case bert
    case punctuation(SplitBehavior)
    /// Digits apart from the rest: each alone, or runs of them.
    case digits(individual: Bool)
    case sequence([PreTokenizer])

    /// Whether the words end up as ByteLevel characters.
    var isByteLevel: Bool {
        switch self {
        case .byteLevel: return true
        case .sequence(let steps): return steps.last?.isByteLevel ?? false
        default: return false
        }
    }

    func apply(_ words: [AlignedText]) -> [AlignedText] {
        switch self {
        case .byteLevel(let addPrefixSpace, let useRegex):
            return words.flatMap { word -> [AlignedText] in
                var w = word
                if addPrefixSpace, w.scalars.first != " " { w.prepend([" "]) }
                guard useRegex else { return [w] }
                return PreTokenizer.split(w, KnownPattern.gpt2.matches(in: w.scalars), .isolated)
            }
        case .split(let pattern, let behavior, let invert):
            return words.flatMap { PreTokenizer.split($0, pattern.matches(in: $0.scalars), behavior, invert: invert) }
        case .whitespace:
            return words.flatMap { w in
                PreTokenizer.split(w, PreTokenizer.runs(w.scalars) { $0.isWordCharacter ? 1 : $0.properties.isWhitespace ? 0 : 2 }, .removed, invert: true)
            }
        case .whitespaceSplit:
            return words.flatMap { PreTokenizer.split($0, PreTokenizer.each($0.scalars) { $0.properties.isWhitespace }, .removed) }
        case .bert:
            return PreTokenizer.punctuation(.isolated).apply(PreTokenizer.whitespaceSplit.apply(words))
        case .punctuation(let behavior):
            return words.flatMap { PreTokenizer.split($0, PreTokenizer.each($0.scalars) { $0.isPunctuation }, behavior) }
        case .digits(let individual):
            return words.flatMap {
                PreTokenizer.split($0, PreTokenizer.each($0.scalars) { $0.isNumeric }, individual ? .isolated : .contiguous)
            }
        case .sequence(let steps):
            return steps.reduce(words) { $1.apply($0) }
        }
    }

    private static func split(_ w: AlignedText, _ matches: [Range<Int>], _ behavior: SplitBehavior, invert: Bool = false) -> [AlignedText] {
        behavior.pieces(count: w.count, matches: matches, invert: invert).map { w.slice($0) }
    }

    /// Each scalar passing `test`, as a one-scalar match.
    private static func each(_ s: [Unicode.Scalar], _ test: (Unicode.Scalar) -> Bool) -> [Range<Int>] {
        s.indices.filter { test(s[$0]) }.map { $0..<$0 + 1 }
    }

    /// Maximal runs of scalars of the same non-zero class.
    private static func runs(_ s: [Unicode.Scalar], _ kind: (Unicode.Scalar) -> Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < s.count {
            let k = kind(s[i])
            var j = i + 1
            while j < s.count && kind(s[j]) == k { j += 1 }
            if k != 0 { out.append(i..<j) }
            i = j
        }
        return out
    }
}

extension Unicode.Scalar {
    /// Regex `\w` (Unicode): alphabetic, marks, decimal digits, connector punctuation, join controls.
    var isWordCharacter: Bool {
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || value == 0x5F
        }
        let p = properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// ASCII punctuation or a Unicode punctuation category (BERT's test).
    var isPunctuation: Bool {
        if value < 0x80 {
            return (value >= 0x21 && value <= 0x2F) || (value >= 0x3A && value <= 0x40) || (value >= 0x5B && value <= 0x60) || (value >= 0x7B && value <= 0x7E)
        }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// A number category (Nd, Nl, No), as Rust's `char::is_numeric`.
    var isNumeric: Bool {
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}
