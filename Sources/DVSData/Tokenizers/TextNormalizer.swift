/// A `tokenizer.json` normalizer: what `tokenizers` does to the text before
/// pre-tokenization, with the alignments kept (see `AlignedText`).
indirect enum TextNormalizer {
    case unicode(UnicodeForm)
    case lowercase
    case strip(left: Bool, right: Bool)
    case stripAccents
    case replace(SplitPattern, [Unicode.Scalar])
    case prepend([Unicode.Scalar])
    /// BERT's: clean control characters, space around CJK ideographs, strip accents, lowercase.
    case bert(cleanText: Bool, chineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    case sequence([TextNormalizer])

    func apply(_ text: inout AlignedText) {
        switch self {
        case .unicode(let form): text.normalize(form)
        case .lowercase: text.mapScalars { $0.isLowercaseStable ? nil : Array($0.properties.lowercaseMapping.unicodeScalars) }
        case .strip(let left, let right):
            let isSpace = { (s: Unicode.Scalar) in s.properties.isWhitespace }
            let lead = left ? text.scalars.prefix(while: isSpace).count : 0
            let trail = right && lead < text.count ? text.scalars.reversed().prefix(while: isSpace).count : 0
            if lead > 0 || trail > 0 { text = text.slice(lead..<text.count - trail) }
        case .stripAccents: text.mapScalars { $0.properties.generalCategory == .nonspacingMark ? [] : nil }
        case .replace(let pattern, let content): text.replace(pattern.matches(in: text.scalars), with: content)
        case .prepend(let prefix): if !text.isEmpty { text.prepend(prefix) }
        case .bert(let cleanText, let chineseChars, let stripAccents, let lowercase):
            if cleanText {
                text.mapScalars { s in
                    if s.value == 0 || s.value == 0xFFFD || s.isBertControl { return [] }
                    return s != " " && s.isBertWhitespace ? [" "] : nil
                }
            }
            if chineseChars { text.mapScalars { $0.isCJKIdeograph ? [" ", $0, " "] : nil } }
            if stripAccents {
                TextNormalizer.unicode(.nfd).apply(&text)
                TextNormalizer.stripAccents.apply(&text)
            }
            if lowercase { TextNormalizer.lowercase.apply(&text) }
        case .sequence(let steps): for step in steps { step.apply(&text) }
        }
    }
}

extension AlignedText {
    /// Replaces each range (ascending, disjoint) by `content`, whose scalars
    /// all align with the last replaced scalar (tokenizers' `replace`).
    mutating func replace(_ ranges: [Range<Int>], with content: [Unicode.Scalar]) {
        guard !ranges.isEmpty else { return }
        var items: [(Unicode.Scalar, Range<Int>)] = []
        var next = 0
        for r in ranges where !r.isEmpty {
            for i in next..<r.lowerBound { items.append((scalars[i], origin(i))) }
            let source = origin(r.upperBound - 1)
            for s in content { items.append((s, source)) }
            next = r.upperBound
        }
        for i in next..<count { items.append((scalars[i], origin(i))) }
        self = AlignedText(aligned: items)
    }

    /// Prepends scalars aligned with the first scalar (tokenizers' `prepend`).
    mutating func prepend(_ prefix: [Unicode.Scalar]) {
        guard !isEmpty, let first = prefix.first else { return }
        var outputs: [(Unicode.Scalar, Int)] = [(first, 0)]
        for s in prefix.dropFirst() { outputs.append((s, 1)) }
        outputs.append((scalars[0], 1))
        for s in scalars.dropFirst() { outputs.append((s, 0)) }
        transform(outputs)
    }
}

extension Unicode.Scalar {
    /// Whether lowercasing leaves the scalar as it is (ASCII fast path).
    var isLowercaseStable: Bool {
        if value < 0x80 { return !(value >= 0x41 && value <= 0x5A) }
        return properties.lowercaseMapping.unicodeScalars.elementsEqual(CollectionOfOne(self))
    }

    /// BERT's whitespace: tab, newline, carriage return or White_Space.
    var isBertWhitespace: Bool { self == "\t" || self == "\n" || self == "\r" || properties.isWhitespace }

    /// BERT's control characters: category C* except tab, newline and carriage return.
    var isBertControl: Bool {
        if self == "\t" || self == "\n" || self == "\r" { return false }
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// The CJK ideograph blocks BERT surrounds with spaces.
    var isCJKIdeograph: Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
