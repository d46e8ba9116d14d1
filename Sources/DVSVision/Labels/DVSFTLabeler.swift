import DVSTensor

/// Which word labels a visual token's region (DESIGN.md §1).
public enum LabelRule: String, CaseIterable, Sendable, Codable {
    /// Among the word (or piece) boxes overlapping the token's region, the one
    /// with the largest intersection area; it labels the token only when it
    /// covers at least `minCover` of the **token region's** area.
    case maxOverlap = "max_overlap"
    /// The first word (or piece) box, in reading order, that contains the
    /// token region's center point (right/bottom edges exclusive). `minCover`
    /// is not used.
    case center
}

/// How a word that the tokenizer splits into several sub-tokens is labelled.
public enum SubtokenMode: String, CaseIterable, Sendable, Codable {
    /// The whole word box carries the word's first sub-token id (the default).
    case first
    /// The word box is split horizontally into one sub-box per sub-token, each
    /// as wide as its share of the word's characters; the rule is applied to
    /// the sub-boxes, each carrying its own sub-token id.
    case span
}

/// DV-SFT labels for the visual tokens of one image, with coverage statistics.
public struct Labels: Equatable, Sendable {
    /// The ignore label: tokens no word labels.
    public static let ignore = -100

    /// One label per visual token, in the grid's token order; -100 where none.
    public var ids: [Int]
    /// The text of the word that labels each token (the whole word, also in
    /// `span` mode); nil where none.
    public var words: [String?]
    /// The index in the `boxes` argument of the word that labels each token; nil where none.
    public var boxIndices: [Int?]
    /// Per token: the fraction of its region covered by the box (or, in `span`
    /// mode, the sub-box) that labels it; 0 where unlabelled.
    public var coverage: [Double]
    /// Aligned with the `boxes` argument: how many tokens each box labels
    /// (0 for boxes the labeler skips: line boxes, empty words).
    public var tokensPerWord: [Int]
    /// Indices (into `boxes`) of the word boxes used that label no token, in order.
    public var unlabelledWordIndices: [Int]
    /// Their texts, in the same order (a word may appear twice if it is on the page twice).
    public var unlabelledWords: [String]

    /// Number of tokens with a label.
    public var labelledCount: Int { ids.reduce(0) { $0 + ($1 == Labels.ignore ? 0 : 1) } }
    /// Fraction of tokens with a label (0 when there are no tokens).
    public var labelledFraction: Double { ids.isEmpty ? 0 : Double(labelledCount) / Double(ids.count) }

    /// The ids as an integer tensor `[tokenCount]` (dtype int64).
    public func tensor() -> Tensor {
        let t = try! Tensor(shape: [ids.count], values: ids.map(Float.init))  // one-dimensional, sizes always valid
        t.dtype = .int64
        return t
    }
}

/// Labels every visual token of a `PatchGrid` with the word under it
/// (DESIGN.md §1, §6).
///
/// Conventions:
/// - Only boxes whose level is `"word"` (case-insensitive) are used; line and
///   other boxes are ignored, as are words with empty text. Box coordinates are
///   pixels of the original image (the grid's padding adds nothing to them).
/// - The order of `boxes` is taken as reading order (OCR and the page generator
///   both return words in reading order): it breaks ties.
/// - `maxOverlap`: for each token region, the candidate box with the largest
///   intersection area wins; equal areas (within 1e-9 of the region area) go to
///   the earlier box in reading order (and, in `span` mode, the earlier piece).
///   The winner labels the token when `intersection / tokenRegionArea ≥ minCover`
///   (within 1e-9) and the intersection is not empty. `minCover` is thus the
///   fraction of the **token's region** covered by the word — not of the word's
///   box. Token regions are full `tokenSide²` squares even where they reach into
///   the right/bottom padding.
/// - `center`: the first candidate box in reading order containing the token
///   region's center (edges: left/top inclusive, right/bottom exclusive).
/// - Words are tokenized in context, a line at a time (`lines(of:)`): the
///   encoder sees the line's words joined by single spaces, so a BPE tokenizer
///   gives each word the tokens the model reads there (`WordPieceEncoder.pieces(ofLine:)`).
/// - `first`: the whole word box carries the id of the word's first piece (a
///   leading-space token the tokenizer splits off belongs to no word).
///   `span`: a word of `n` characters (Unicode scalars, the unit of token
///   offsets) whose piece `k` covers characters `a..<b` gets the sub-box
///   `x + w·a/n ..< x + w·b/n` over the full height; pieces with empty ranges get
///   empty sub-boxes and label nothing. A word for which the encoder returns no
///   pieces labels nothing. A token straddling two words is a piece of both.
public enum DVSFTLabeler {
    public static let defaultMinCover = 0.1

    private struct Candidate {
        let box: Box
        let id: Int
        let wordIndex: Int
    }

    public static func label(
        grid: PatchGrid,
        boxes: [Box],
        encoder: any WordPieceEncoder,
        rule: LabelRule = .maxOverlap,
        minCover: Double = DVSFTLabeler.defaultMinCover,
        subtoken: SubtokenMode = .first
    ) throws(VisionError) -> Labels {
        guard minCover.isFinite, minCover >= 0, minCover <= 1 else {
            throw VisionError("label: min_cover must be a fraction in [0, 1], got \(minCover)")
        }

        // Candidate boxes in reading order (word order, then piece order).
        var candidates: [Candidate] = []
        var used: [Int] = []
        for (i, box) in boxes.enumerated() where box.level.lowercased() == "word" && !box.text.isEmpty {
            guard box.x.isFinite, box.y.isFinite, box.w.isFinite, box.h.isFinite else {
                throw VisionError("label: word box \(i) (\"\(box.text)\") has a non-finite coordinate: x \(box.x), y \(box.y), w \(box.w), h \(box.h)")
            }
            used.append(i)
        }
        var piecesOfWord: [Int: [(id: Int, characters: Range<Int>)]] = [:]
        for line in lines(of: used.map { boxes[$0] }) {
            let words = line.map { used[$0] }
            for (k, pieces) in encoder.pieces(ofLine: words.map { boxes[$0].text }).enumerated() { piecesOfWord[words[k]] = pieces }
        }
        for i in used {
            let box = boxes[i]
            let pieces = piecesOfWord[i] ?? []
            guard let firstPiece = pieces.first else { continue }
            switch subtoken {
            case .first:
                candidates.append(Candidate(box: box, id: firstPiece.id, wordIndex: i))
            case .span:
                let n = Swift.max(box.text.unicodeScalars.count, pieces.map(\.characters.upperBound).max() ?? 0)
                for piece in pieces {
                    let a = Swift.min(Swift.max(piece.characters.lowerBound, 0), n)
                    let b = Swift.min(Swift.max(piece.characters.upperBound, a), n)
                    let x0 = box.x + box.w * Double(a) / Double(n)
                    let x1 = box.x + box.w * Double(b) / Double(n)
                    var sub = box
                    sub.x = x0
                    sub.w = x1 - x0
                    candidates.append(Candidate(box: sub, id: piece.id, wordIndex: i))
                }
            }
        }

        let n = grid.tokenCount
        var ids = [Int](repeating: Labels.ignore, count: n)
        var words = [String?](repeating: nil, count: n)
        var boxIndices = [Int?](repeating: nil, count: n)
        var coverage = [Double](repeating: 0, count: n)
        var tokensPerWord = [Int](repeating: 0, count: boxes.count)
        let eps = 1e-9
        let regions = grid.regions

        for t in 0..<n {
            let region = regions[t]
            let regionArea = region.area
            var chosen: Candidate?
            var chosenArea = 0.0
            switch rule {
            case .maxOverlap:
                for c in candidates {
                    let a = region.intersection(c.box).area
                    if a > 0, a > chosenArea + eps * regionArea {
                        chosen = c
                        chosenArea = a
                    }
                }
                if chosen != nil, chosenArea / regionArea < minCover - eps { chosen = nil }
            case .center:
                let cx = region.x + region.w / 2, cy = region.y + region.h / 2
                if let c = candidates.first(where: { $0.box.contains(x: cx, y: cy) }) {
                    chosen = c
                    chosenArea = region.intersection(c.box).area
                }
            }
            guard let c = chosen else { continue }
            ids[t] = c.id
            words[t] = boxes[c.wordIndex].text
            boxIndices[t] = c.wordIndex
            coverage[t] = chosenArea / regionArea
            tokensPerWord[c.wordIndex] += 1
        }

        let unlabelled = used.filter { tokensPerWord[$0] == 0 }
        return Labels(
            ids: ids, words: words, boxIndices: boxIndices, coverage: coverage,
            tokensPerWord: tokensPerWord,
            unlabelledWordIndices: unlabelled,
            unlabelledWords: unlabelled.map { boxes[$0].text })
    }
}

extension DVSFTLabeler {
    /// Word boxes (in reading order) grouped into lines: a word continues the
    /// line of the word before it when it starts at or right of that word's
    /// left edge and its vertical centre lies within that word's rows
    /// (`y ≤ centre < y + h`). Returns index lists into `words`.
    public static func lines(of words: [Box]) -> [[Int]] {
        var out: [[Int]] = []
        for (i, b) in words.enumerated() {
            if let last = out.last?.last {
                let p = words[last], centre = b.y + b.h / 2
                if b.x >= p.x && centre >= p.y && centre < p.y + Swift.max(p.h, 1) {
                    out[out.count - 1].append(i)
                    continue
                }
            }
            out.append([i])
        }
        return out
    }
}

/// The fraction of visual tokens whose labels agree between two label arrays
/// (e.g. labels from OCR boxes vs from drawn boxes). A token where both are
/// -100 counts as agreeing; -100 against a word id disagrees. Two empty arrays
/// agree fully (1.0). Arrays of different lengths are an error.
public func labelAgreement(_ a: [Int], _ b: [Int]) throws(VisionError) -> Double {
    guard a.count == b.count else {
        throw VisionError("label_agreement: the label arrays have different lengths (\(a.count) and \(b.count))")
    }
    if a.isEmpty { return 1 }
    var same = 0
    for i in a.indices where a[i] == b[i] { same += 1 }
    return Double(same) / Double(a.count)
}
