import DVSTensor
import DVSVision
import XCTest

/// Splits a word into 2-character pieces; the piece k of a word with id w has
/// id 10·w + k (word ids from a fixed table, unknown words 9).
private struct PairEncoder: WordPieceEncoder {
    var table: [String: Int] = ["ab": 1, "cd": 2, "abcd": 3, "abcde": 4, "ef": 5, "gh": 6, "wxyz": 7]
    func pieces(of word: String) -> [(id: Int, characters: Range<Int>)] {
        let w = table[word] ?? 9
        return stride(from: 0, to: word.count, by: 2).enumerated().map { k, a in (10 * w + k, a..<Swift.min(a + 2, word.count)) }
    }
}

/// One piece per word, like DVSData's WordTokenizer.
private struct WholeWordEncoder: WordPieceEncoder {
    func pieces(of word: String) -> [(id: Int, characters: Range<Int>)] { [(word.count, 0..<word.count)] }
}

/// Returns no pieces at all.
private struct NoPieces: WordPieceEncoder {
    func pieces(of word: String) -> [(id: Int, characters: Range<Int>)] { [] }
}

final class LabelerTests: XCTestCase {
    private let ignore = Labels.ignore
    /// 112×56, 14-px patches, 2×2 merge: a 2×4 token grid of 28-px regions.
    private func grid() throws -> PatchGrid { try PatchGrid(imageWidth: 112, imageHeight: 56) }

    private func word(_ text: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double) -> Box {
        Box(x: x, y: y, w: w, h: h, text: text)
    }

    func testWordAcrossTwoTokens() throws {
        let g = try grid()
        let boxes = [word("abcd", 10, 0, 36, 28)]  // x 10..<46: 18 px in token 0, 18 px in token 1
        let enc = PairEncoder()

        let first = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: enc, rule: .maxOverlap, subtoken: .first)
        XCTAssertEqual(first.ids, [30, 30, ignore, ignore, ignore, ignore, ignore, ignore])
        XCTAssertEqual(first.words, ["abcd", "abcd", nil, nil, nil, nil, nil, nil])
        XCTAssertEqual(first.boxIndices, [0, 0, nil, nil, nil, nil, nil, nil])
        XCTAssertEqual(first.tokensPerWord, [2])
        XCTAssertEqual(first.coverage[0], 18.0 * 28 / 784, accuracy: 1e-12)
        XCTAssertEqual(first.coverage[2], 0)
        XCTAssertEqual(first.labelledFraction, 2.0 / 8)
        XCTAssertEqual(first.unlabelledWords, [])

        // span: "ab" → x 10..<28 (token 0), "cd" → x 28..<46 (token 1).
        let span = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: enc, rule: .maxOverlap, subtoken: .span)
        XCTAssertEqual(Array(span.ids[0..<2]), [30, 31])
        XCTAssertEqual(Array(span.words[0..<2]), ["abcd", "abcd"], "words are whole words in span mode")
        XCTAssertEqual(span.coverage[0], 18.0 * 28 / 784, accuracy: 1e-12)
        XCTAssertEqual(span.coverage[1], 18.0 * 28 / 784, accuracy: 1e-12)
        XCTAssertEqual(span.tokensPerWord, [2])

        // center: token centers (14, 14) and (42, 14) are both inside the word.
        let center = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: enc, rule: .center, subtoken: .first)
        XCTAssertEqual(Array(center.ids[0..<3]), [30, 30, ignore])
        let centerSpan = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: enc, rule: .center, subtoken: .span)
        XCTAssertEqual(Array(centerSpan.ids[0..<3]), [30, 31, ignore])
    }

    func testSpanSplitsByCharacterExtent() throws {
        let g = try PatchGrid(imageWidth: 140, imageHeight: 28, patch: 14, merge: 2)  // 5 tokens in a row
        // "abcde": pieces ab (0..<2), cd (2..<4), e (4..<5) over 5 tokens' width 140 → 56, 56, 28 px.
        let labels = try DVSFTLabeler.label(grid: g, boxes: [word("abcde", 0, 0, 140, 28)], encoder: PairEncoder(), subtoken: .span)
        XCTAssertEqual(labels.ids, [40, 40, 41, 41, 42])
        XCTAssertEqual(labels.tokensPerWord, [5])
        XCTAssertEqual(labels.coverage, [1, 1, 1, 1, 1])
        // With a one-piece encoder, span is the same as first.
        let whole = try DVSFTLabeler.label(grid: g, boxes: [word("abcde", 0, 0, 140, 28)], encoder: WholeWordEncoder(), subtoken: .span)
        XCTAssertEqual(whole.ids, [5, 5, 5, 5, 5])
    }

    func testTwoWordsInOneToken() throws {
        let g = try grid()
        // Token 0 is x 0..<28, center (14, 14). "ab" is small but holds the center; "cd" overlaps more.
        let boxes = [word("ab", 10, 0, 8, 28), word("cd", 18, 0, 10, 28)]
        let overlap = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: PairEncoder(), rule: .maxOverlap)
        XCTAssertEqual(overlap.ids[0], 20)
        XCTAssertEqual(overlap.words[0], "cd")
        XCTAssertEqual(overlap.coverage[0], 280.0 / 784, accuracy: 1e-12)
        XCTAssertEqual(overlap.tokensPerWord, [0, 1])
        XCTAssertEqual(overlap.unlabelledWords, ["ab"])
        XCTAssertEqual(overlap.unlabelledWordIndices, [0])

        let center = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: PairEncoder(), rule: .center)
        XCTAssertEqual(center.ids[0], 10)
        XCTAssertEqual(center.words[0], "ab")
        XCTAssertEqual(center.coverage[0], 224.0 / 784, accuracy: 1e-12)
        XCTAssertEqual(center.unlabelledWords, ["cd"])
    }

    func testMinCover() throws {
        let g = try grid()
        let tiny = [word("ab", 0, 0, 5, 10)]  // 50 / 784 ≈ 0.064 of token 0
        let below = try DVSFTLabeler.label(grid: g, boxes: tiny, encoder: PairEncoder())
        XCTAssertEqual(below.ids, [Int](repeating: ignore, count: 8))
        XCTAssertEqual(below.coverage, [Double](repeating: 0, count: 8))
        XCTAssertEqual(below.unlabelledWords, ["ab"])
        XCTAssertEqual(below.labelledFraction, 0)
        let lower = try DVSFTLabeler.label(grid: g, boxes: tiny, encoder: PairEncoder(), minCover: 0.05)
        XCTAssertEqual(lower.ids[0], 10)
        // Exactly at the threshold counts (78.4 / 784 = 0.1 up to rounding).
        let exact = try DVSFTLabeler.label(grid: g, boxes: [word("ab", 0, 0, 28, 2.8)], encoder: PairEncoder(), minCover: 0.1)
        XCTAssertEqual(exact.ids[0], 10)
        // minCover is a fraction of the token region, not of the word: a word
        // entirely inside a token but covering little of it is not enough.
        let inside = try DVSFTLabeler.label(grid: g, boxes: [word("ab", 4, 4, 10, 10)], encoder: PairEncoder(), minCover: 0.5)
        XCTAssertEqual(inside.ids[0], ignore)
        // minCover 0: any positive overlap; touching edges (no area) never labels.
        let touch = try DVSFTLabeler.label(grid: g, boxes: [word("ab", 28, 0, 1, 1)], encoder: PairEncoder(), minCover: 0)
        XCTAssertEqual(touch.ids, [ignore, 10, ignore, ignore, ignore, ignore, ignore, ignore])
        // center ignores minCover.
        let center = try DVSFTLabeler.label(grid: g, boxes: [word("ab", 13, 13, 2, 2)], encoder: PairEncoder(), rule: .center, minCover: 0.9)
        XCTAssertEqual(center.ids[0], 10)
    }

    func testEmptyPage() throws {
        let g = try grid()
        for rule in LabelRule.allCases {
            for mode in SubtokenMode.allCases {
                let labels = try DVSFTLabeler.label(grid: g, boxes: [], encoder: PairEncoder(), rule: rule, subtoken: mode)
                XCTAssertEqual(labels.ids, [Int](repeating: ignore, count: 8))
                XCTAssertEqual(labels.words, [String?](repeating: nil, count: 8))
                XCTAssertEqual(labels.labelledFraction, 0)
                XCTAssertEqual(labels.labelledCount, 0)
                XCTAssertEqual(labels.tokensPerWord, [])
                XCTAssertEqual(labels.unlabelledWords, [])
            }
        }
        // Line boxes and empty words are skipped (not even "unlabelled").
        let skipped = [Box(x: 0, y: 0, w: 112, h: 56, text: "ab cd", level: "line"), word("", 0, 0, 112, 56)]
        let labels = try DVSFTLabeler.label(grid: g, boxes: skipped, encoder: PairEncoder())
        XCTAssertEqual(labels.ids, [Int](repeating: ignore, count: 8))
        XCTAssertEqual(labels.tokensPerWord, [0, 0])
        XCTAssertEqual(labels.unlabelledWords, [])
        // A word the encoder gives no pieces for labels nothing.
        let none = try DVSFTLabeler.label(grid: g, boxes: [word("ab", 0, 0, 28, 28)], encoder: NoPieces())
        XCTAssertEqual(none.ids[0], ignore)
        XCTAssertEqual(none.unlabelledWords, ["ab"])
    }

    func testTies() throws {
        let g = try grid()
        // Both halves of token 0: equal overlap → the earlier box in reading order.
        let a = word("ab", 0, 0, 14, 28), b = word("cd", 14, 0, 14, 28)
        XCTAssertEqual(try DVSFTLabeler.label(grid: g, boxes: [a, b], encoder: PairEncoder()).ids[0], 10)
        XCTAssertEqual(try DVSFTLabeler.label(grid: g, boxes: [b, a], encoder: PairEncoder()).ids[0], 20)
        // center: two overlapping boxes both hold the center → the first.
        let c = word("ab", 0, 0, 28, 28), d = word("cd", 10, 10, 10, 10)
        XCTAssertEqual(try DVSFTLabeler.label(grid: g, boxes: [c, d], encoder: PairEncoder(), rule: .center).ids[0], 10)
        XCTAssertEqual(try DVSFTLabeler.label(grid: g, boxes: [d, c], encoder: PairEncoder(), rule: .center).ids[0], 20)
        // The center on a shared edge belongs to the box on its right/bottom (right edge exclusive).
        let left = word("ab", 0, 0, 14, 28), right = word("cd", 14, 0, 14, 28)
        XCTAssertEqual(try DVSFTLabeler.label(grid: g, boxes: [left, right], encoder: PairEncoder(), rule: .center).ids[0], 20)
    }

    func testWordsWithNoTokenAndCounts() throws {
        let g = try grid()
        let boxes = [
            Box(x: 0, y: 0, w: 112, h: 28, text: "ab cd ef", level: "line"),
            word("ab", 0, 0, 84, 28),  // tokens 0, 1, 2
            word("cd", 84, 0, 28, 28),  // token 3
            word("ef", 0, 28, 56, 28),  // tokens 4, 5
            word("gh", 60, 30, 3, 3),  // too small for token 6
            word("wxyz", 300, 0, 20, 20),  // off the image
        ]
        let labels = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: PairEncoder())
        XCTAssertEqual(labels.ids, [10, 10, 10, 20, 50, 50, ignore, ignore])
        XCTAssertEqual(labels.tokensPerWord, [0, 3, 1, 2, 0, 0])
        XCTAssertEqual(labels.unlabelledWords, ["gh", "wxyz"])
        XCTAssertEqual(labels.unlabelledWordIndices, [4, 5])
        XCTAssertEqual(labels.labelledFraction, 6.0 / 8)
        XCTAssertEqual(labels.boxIndices, [1, 1, 1, 2, 3, 3, nil, nil])
        let t = labels.tensor()
        XCTAssertEqual(t.shape, [8])
        XCTAssertEqual(t.dtype, .int64)
        XCTAssertEqual(try t.toArray(), [10, 10, 10, 20, 50, 50, -100, -100])
    }

    func testTallWordAndPaddedRegions() throws {
        // 40×28 pads to 56×28: token 1 is x 28..<56, only 12 px of it inside the image.
        let g = try PatchGrid(imageWidth: 40, imageHeight: 28)
        let labels = try DVSFTLabeler.label(grid: g, boxes: [word("ab", 28, 0, 12, 28)], encoder: PairEncoder(), minCover: 0.4)
        XCTAssertEqual(labels.ids, [ignore, 10])
        XCTAssertEqual(labels.coverage[1], 12.0 / 28, accuracy: 1e-12, "coverage is of the full (padded) token region")
        // A word spanning both token rows of a column.
        let tall = try DVSFTLabeler.label(grid: try grid(), boxes: [word("ab", 28, 0, 28, 56)], encoder: PairEncoder())
        XCTAssertEqual(tall.ids, [ignore, 10, ignore, ignore, ignore, 10, ignore, ignore])
        XCTAssertEqual(tall.tokensPerWord, [2])
    }

    func testReferenceGeometry() throws {
        // 224×56 reference: two lines of words, each word two tokens wide.
        let g = try PatchGrid(imageWidth: 224, imageHeight: 56)
        let boxes = [word("ab", 2, 4, 52, 20), word("cd", 58, 4, 52, 20), word("ef", 2, 32, 52, 20)]
        let labels = try DVSFTLabeler.label(grid: g, boxes: boxes, encoder: PairEncoder())
        XCTAssertEqual(
            labels.ids,
            [
                10, 10, 20, 20, ignore, ignore, ignore, ignore,
                50, 50, ignore, ignore, ignore, ignore, ignore, ignore,
            ])
        XCTAssertEqual(labels.labelledFraction, 6.0 / 16)
    }

    func testBadArguments() throws {
        let g = try grid()
        for bad in [-0.1, 1.5, Double.nan, Double.infinity] {
            XCTAssertThrowsError(try DVSFTLabeler.label(grid: g, boxes: [], encoder: PairEncoder(), minCover: bad)) {
                XCTAssertTrue("\($0)".contains("min_cover must be a fraction in [0, 1]"))
            }
        }
        XCTAssertThrowsError(try DVSFTLabeler.label(grid: g, boxes: [word("ab", .nan, 0, 5, 5)], encoder: PairEncoder())) {
            XCTAssertTrue("\($0)".contains("non-finite"))
        }
        // Negative sizes are empty boxes, not errors.
        XCTAssertEqual(try DVSFTLabeler.label(grid: g, boxes: [word("ab", 20, 0, -10, 28)], encoder: PairEncoder()).labelledCount, 0)
        XCTAssertEqual(LabelRule(rawValue: "max_overlap"), .maxOverlap)
        XCTAssertEqual(SubtokenMode(rawValue: "span"), .span)
    }

    func testLabelAgreement() throws {
        XCTAssertEqual(try labelAgreement([1, 2, -100, -100], [1, 3, -100, 4]), 0.5)
        XCTAssertEqual(try labelAgreement([-100, -100], [-100, -100]), 1, "-100 against -100 agrees")
        XCTAssertEqual(try labelAgreement([5], [-100]), 0)
        XCTAssertEqual(try labelAgreement([], []), 1)
        XCTAssertThrowsError(try labelAgreement([1, 2], [1])) { XCTAssertTrue("\($0)".contains("different lengths (2 and 1)")) }
    }
}
