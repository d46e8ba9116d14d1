import DVSTensor
import DVSVision
import XCTest

final class TextPageTests: XCTestCase {
    typealias S = TextTestSupport

    /// Short words like the reference experiment's list.
    static let vocabulary = [
        "red", "blue", "cat", "dog", "sun", "map", "box", "key", "run", "sit", "big", "old",
        "fish", "tree", "moon", "star", "bird", "lamp", "door", "road", "cold", "warm", "fast", "slow",
    ]

    func randomLines(_ rng: RandomGenerator) -> [[String]] {
        (0..<2).map { _ in
            (0..<(3 + Int(rng.nextInt(below: 2)))).map { _ in Self.vocabulary[Int(rng.nextInt(below: UInt64(Self.vocabulary.count)))] }
        }
    }

    /// Checks the page invariants: boxes tight against the page's pixels,
    /// inside the margins, lines apart, every ink pixel inside a word box.
    func checkPage(_ page: TextPage, margin: Int, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(page.words.map(\.text), page.lines.flatMap { $0 }, what, file: file, line: line)
        XCTAssertEqual(page.lineBoxes.map(\.text), page.lines.map { $0.joined(separator: " ") }, what, file: file, line: line)
        for b in page.words + page.lineBoxes {
            XCTAssertGreaterThanOrEqual(b.x, Double(margin), "\(what): \(b)", file: file, line: line)
            XCTAssertGreaterThanOrEqual(b.y, Double(margin), "\(what): \(b)", file: file, line: line)
            XCTAssertLessThanOrEqual(b.x + b.w, Double(page.image.width - margin), "\(what): \(b)", file: file, line: line)
            XCTAssertLessThanOrEqual(b.y + b.h, Double(page.image.height - margin), "\(what): \(b)", file: file, line: line)
            XCTAssertEqual(b.confidence, 100, file: file, line: line)
            S.assertEdgesTouchInk(page.image, b, "\(what): \(b.text)", file: file, line: line)
        }
        XCTAssertTrue(page.words.allSatisfy { $0.level == "word" } && page.lineBoxes.allSatisfy { $0.level == "line" }, file: file, line: line)
        for i in 1..<page.lineBoxes.count {
            XCTAssertLessThanOrEqual(page.lineBoxes[i - 1].y + page.lineBoxes[i - 1].h, page.lineBoxes[i].y, "\(what): lines overlap", file: file, line: line)
        }
        for i in 0..<page.words.count {
            for j in (i + 1)..<page.words.count {
                XCTAssertEqual(page.words[i].intersection(page.words[j]).area, 0, "\(what): words \(i) and \(j) overlap", file: file, line: line)
            }
        }
        for (x, y) in S.inkPixels(page.image) {
            XCTAssertTrue(
                page.words.contains { $0.contains(x: Double(x), y: Double(y)) }, "\(what): ink at (\(x), \(y)) outside the word boxes", file: file, line: line)
        }
        // Tight: the pixels inside each word box are exactly that word (words never share pixels).
        for b in page.words {
            var crop = try! Image(width: page.image.width, height: page.image.height)
            for y in Int(b.y)..<Int(b.y + b.h) { for x in Int(b.x)..<Int(b.x + b.w) { crop[0, y, x] = page.image[0, y, x] } }
            S.assertTight(crop, b, "\(what): \(b.text)", file: file, line: line)
        }
    }

    /// The reference shape: 56×224, 2 lines of 3–4 short words, 14–18 px, training fonts.
    func testReferencePagesFit() throws {
        let rng = RandomGenerator(seed: 11)
        for family in ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Mono"] {
            for size in [14, 16, 18] {
                for k in 0..<3 {
                    let lines = randomLines(rng)
                    let page = try TextPage.generate(lines: lines, font: family, size: size, jitter: 3, wordSpacingJitter: 2, seed: UInt64(k))
                    XCTAssertEqual(page.image.width, 224)
                    XCTAssertEqual(page.image.height, 56)
                    XCTAssertEqual(page.image.channels, 1)
                    XCTAssertEqual(page.words.count, lines.joined().count)
                    XCTAssertEqual(page.wordLines, lines.enumerated().flatMap { i, l in Array(repeating: i, count: l.count) })
                    checkPage(page, margin: 4, "\(family) \(size)px \(lines)")
                    S.dump(page.image, "page-\(family.replacingOccurrences(of: " ", with: ""))-\(size)-\(k)")
                }
            }
        }
        // The longest 4-word line of the vocabulary at 18 px still fits.
        let longest = ["fish", "tree", "moon", "star"]
        XCTAssertNoThrow(try TextPage.generate(lines: [longest, longest], font: "DejaVu Sans", size: 18, jitter: 4))
    }

    func testDeterministicForASeed() throws {
        let lines = [["red", "fish", "blue"], ["old", "moon", "road", "warm"]]
        let a = try TextPage.generate(lines: lines, font: "Liberation Sans", size: 15, jitter: 4, wordSpacingJitter: 2, seed: 42)
        let b = try TextPage.generate(lines: lines, font: "Liberation Sans", size: 15, jitter: 4, wordSpacingJitter: 2, seed: 42)
        XCTAssertEqual(a, b)
        var distinct = Set<[Double]>()
        for seed in 0..<8 as Range<UInt64> {
            let p = try TextPage.generate(lines: lines, font: "Liberation Sans", size: 15, jitter: 4, wordSpacingJitter: 2, seed: seed)
            distinct.insert(p.words.flatMap { [$0.x, $0.y] })
            checkPage(p, margin: 4, "seed \(seed)")
        }
        XCTAssertGreaterThan(distinct.count, 4, "different seeds move the words")
        XCTAssertNotEqual(try TextPage.generate(lines: lines, font: "Liberation Sans", size: 15, jitter: 4, seed: 1).image, a.image)
    }

    func testJitterStaysWithinBounds() throws {
        let lines = [["cat", "sun", "box"], ["key", "dog", "map", "big"]]
        let font = try Font.load("DejaVu Sans", size: 14)
        let base = try TextPage.generate(lines: lines, font: font, jitter: 0)
        for seed in 0..<20 as Range<UInt64> {
            let p = try TextPage.generate(lines: lines, font: font, jitter: 3, seed: seed)
            for (a, b) in zip(base.lineBoxes, p.lineBoxes) {
                XCTAssertLessThanOrEqual(abs(a.x - b.x), 3)
                XCTAssertLessThanOrEqual(abs(a.y - b.y), 3)
                XCTAssertEqual(a.w, b.w)
                XCTAssertEqual(a.h, b.h)
            }
        }
        // No jitter: left-aligned ink at the margin.
        XCTAssertEqual(base.lineBoxes.map(\.x), [4, 4])
        let centered = try TextPage.generate(lines: lines, font: font, horizontalAlignment: .center, verticalAlignment: .top)
        checkPage(centered, margin: 4, "centered")
        XCTAssertEqual(centered.lineBoxes[0].x + centered.lineBoxes[0].w / 2, 112, accuracy: 1)
    }

    func testTooWideWordIsNamed() throws {
        XCTAssertThrowsError(try TextPage.generate(lines: [["red", "extraordinarily", "wonderful", "dog"]], font: "DejaVu Sans", size: 18)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("word \"wonderful\" (line 1, word 3) does not fit"), m)
            XCTAssertTrue(m.contains("right margin at 220"), m)
        }
        XCTAssertThrowsError(try TextPage.generate(lines: [["a"], ["b"], ["c"], ["d"]], font: "DejaVu Sans", size: 18)) { e in
            XCTAssertTrue("\(e)".contains("4 lines at DejaVu Sans Book 18px need"), "\(e)")
        }
        XCTAssertThrowsError(try TextPage.generate(lines: [["two words"]], font: "DejaVu Sans", size: 12)) { e in
            XCTAssertTrue("\(e)".contains("contains whitespace"), "\(e)")
        }
        XCTAssertThrowsError(try TextPage.generate(lines: [["ok"], []], size: 12)) { e in
            XCTAssertTrue("\(e)".contains("line 2 has no words"), "\(e)")
        }
        // Seeds never decide whether a page fits: a page that fits without jitter fits with any.
        let tight = [["fish", "tree", "moon", "star"], ["bird", "lamp", "door", "road"]]
        for seed in 0..<10 as Range<UInt64> {
            XCTAssertNoThrow(try TextPage.generate(lines: tight, font: "DejaVu Serif", size: 18, jitter: 6, wordSpacingJitter: 6, seed: seed))
        }
    }

    func testWrapping() throws {
        let font = try Font.load("DejaVu Sans", size: 16)
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
        let lines = try TextPage.wrap(words, font: font)
        XCTAssertEqual(lines.flatMap { $0 }, words)
        XCTAssertEqual(lines.count, 2)
        let page = try TextPage.generate(words: words, font: font)
        XCTAssertEqual(page.lines, lines)
        checkPage(page, margin: 4, "wrapped")
        XCTAssertThrowsError(try TextPage.wrap(["incomprehensibilities"], font: try Font.load("DejaVu Sans", size: 30))) { e in
            XCTAssertTrue("\(e)".contains("word \"incomprehensibilities\" is"), "\(e)")
        }
    }
}
