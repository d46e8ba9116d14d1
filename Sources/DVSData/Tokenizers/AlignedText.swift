/// Text on its way through normalization and pre-tokenization, each scalar
/// remembering which scalars of the original text it came from: `tokenizers`'
/// `NormalizedString`, with alignments in Unicode scalars (code points, the
/// unit of `Encoding.offsets` in Python) instead of bytes.
///
/// A changed scalar follows `tokenizers`' transform rule: an output scalar
/// that replaces `1 + k` input scalars (change `-k`) takes the alignment of
/// the first of them; an inserted scalar (change `+1`) takes the alignment of
/// the input scalar before it.
struct AlignedText {
    /// The normalized scalars.
    private(set) var scalars: [Unicode.Scalar]
    /// Original start and end of each scalar; empty while the text is an
    /// unchanged run of the original that starts at `base`.
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private let base: Int

    /// An unchanged run of the original text starting at scalar `base`.
    init<S: Collection>(original: S, base: Int) where S.Element == Unicode.Scalar {
        scalars = Array(original)
        self.base = base
    }

    /// Scalars with explicit original ranges.
    init(aligned items: [(Unicode.Scalar, Range<Int>)]) {
        self.init(scalars: items.map(\.0), starts: items.map { Int32($0.1.lowerBound) }, ends: items.map { Int32($0.1.upperBound) }, base: 0)
    }

    private init(scalars: [Unicode.Scalar], starts: [Int32], ends: [Int32], base: Int) {
        self.scalars = scalars
        self.starts = starts
        self.ends = ends
        self.base = base
    }

    var count: Int { scalars.count }
    var isEmpty: Bool { scalars.isEmpty }
    private var isIdentity: Bool { starts.isEmpty }

    /// The original range of scalar `i`.
    func origin(_ i: Int) -> Range<Int> {
        isIdentity ? base + i..<base + i + 1 : Int(starts[i])..<Int(ends[i])
    }

    /// The original range of a non-empty range of normalized scalars: from the
    /// start of its first scalar's origin to the end of its last's.
    func originalRange(_ r: Range<Int>) -> Range<Int> {
        let a = origin(r.lowerBound).lowerBound, b = origin(r.upperBound - 1).upperBound
        return a..<Swift.max(a, b)
    }

    /// Scalars `r`, with their alignments.
    func slice(_ r: Range<Int>) -> AlignedText {
        if isIdentity { return AlignedText(original: scalars[r], base: base + r.lowerBound) }
        return AlignedText(scalars: Array(scalars[r]), starts: Array(starts[r]), ends: Array(ends[r]), base: base)
    }

    /// Replaces the text by `outputs`, each a scalar with its change in length
    /// (see the type's rule); `removedFirst` input scalars are dropped before
    /// the first output.
    mutating func transform(_ outputs: [(Unicode.Scalar, Int)], removedFirst: Int = 0) {
        var newScalars: [Unicode.Scalar] = []
        var newStarts: [Int32] = [], newEnds: [Int32] = []
        newScalars.reserveCapacity(outputs.count)
        newStarts.reserveCapacity(outputs.count)
        newEnds.reserveCapacity(outputs.count)
        var consumed = removedFirst
        for (scalar, change) in outputs {
            let source: Range<Int>
            if count == 0 {
                source = base..<base
            } else if change > 0 {
                source = consumed > 0 ? origin(Swift.min(consumed, count) - 1) : origin(0).lowerBound..<origin(0).lowerBound
            } else {
                let end = origin(count - 1).upperBound
                source = consumed < count ? origin(consumed) : end..<end
                consumed += 1 - change
            }
            newScalars.append(scalar)
            newStarts.append(Int32(source.lowerBound))
            newEnds.append(Int32(source.upperBound))
        }
        scalars = newScalars
        starts = newStarts
        ends = newEnds
    }

    /// Applies `map` to each scalar: nil keeps it; otherwise its replacement
    /// scalars (the first replaces it, the others are inserted after it). An
    /// empty replacement removes the scalar; as in `tokenizers`' filter, a
    /// removed scalar is counted against the output before it (or dropped
    /// before the first output). Keeps the identity alignment when nothing changes.
    mutating func mapScalars(_ map: (Unicode.Scalar) -> [Unicode.Scalar]?) {
        var outputs: [(Unicode.Scalar, Int)] = []
        var changed = false
        var removedFirst = 0
        for s in scalars {
            guard let replacement = map(s) else {
                outputs.append((s, 0))
                continue
            }
            changed = true
            if replacement.isEmpty {
                if outputs.isEmpty { removedFirst += 1 } else { outputs[outputs.count - 1].1 -= 1 }
            }
            for (k, r) in replacement.enumerated() { outputs.append((r, k == 0 ? 0 : 1)) }
        }
        if changed { transform(outputs, removedFirst: removedFirst) }
    }
}
