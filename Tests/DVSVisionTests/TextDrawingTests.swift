import DVSTensor
import DVSVision
import Dispatch
import XCTest

final class TextDrawingTests: XCTestCase {
    typealias S = TextTestSupport

    /// Every word drawn alone: its box is exactly the bounding box of the
    /// pixels > 0, over 200 words, four fonts and sizes 12–40 px.
    func testWordBoxesAreTightAcrossFontsAndSizes() throws {
        let fonts = ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Mono"]
        let sizes = [12, 14, 16, 18, 22, 28, 34, 40]
        let rng = RandomGenerator(seed: 7)
        var checked = 0
        for i in 0..<200 {
            let word = S.words[Int(rng.nextInt(below: UInt64(S.words.count)))]
            let family = fonts[i % fonts.count]
            let size = sizes[Int(rng.nextInt(below: UInt64(sizes.count)))]
            let font = try Font.load(family, size: size)
            var img = try Image(width: 40 * size / 2 + 60, height: 2 * size + 20)
            let x = 5 + Int(rng.nextInt(below: 20)), baseline = size + 5 + Int(rng.nextInt(below: 8))
            let drawn = try img.drawText(word, x: x, baseline: baseline, font: font)
            XCTAssertEqual(drawn.words.count, 1)
            let box = drawn.wordBoxes[0]
            XCTAssertEqual(box.text, word)
            XCTAssertEqual(box.level, "word")
            XCTAssertEqual(box.confidence, 100)
            S.assertTight(img, box, "\(word) in \(font)")
            S.assertEdgesTouchInk(img, box, "\(word) in \(font)")
            // Characters: one per character, inside the word box, their union is the word box.
            XCTAssertEqual(drawn.words[0].characters.count, word.count)
            let chars = drawn.words[0].characters.filter { $0.w > 0 }
            for c in chars {
                XCTAssertEqual(c.level, "char")
                XCTAssertEqual(c.intersection(box).area, c.area, "char \(c.text) of \(word) outside its word box")
            }
            XCTAssertEqual(chars.map(\.x).min(), box.x)
            XCTAssertEqual(chars.map(\.y).min(), box.y)
            XCTAssertEqual(chars.map { $0.x + $0.w }.max(), box.x + box.w)
            XCTAssertEqual(chars.map { $0.y + $0.h }.max(), box.y + box.h)
            // measure() gives the same box, relative to the pen origin.
            let m = try font.measure(word).wordBoxes[0]
            XCTAssertEqual(m.x + Double(x), box.x)
            XCTAssertEqual(m.y + Double(baseline), box.y)
            XCTAssertEqual(m.w, box.w)
            XCTAssertEqual(m.h, box.h)
            checked += 1
        }
        XCTAssertEqual(checked, 200)
    }

    /// A line of words: each word's box equals the tight box of that word
    /// drawn alone at the same pen position, and every ink pixel of the line
    /// lies inside some word box.
    func testWordsInALineAttributeExactly() throws {
        for family in ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Mono"] {
            for size in [12, 17, 26, 40] {
                let font = try Font.load(family, size: size)
                let text = "Wave To jiffy, AVATAR (gypsy) 3.14 café naïve"
                var line = try Image(width: 30 * size, height: 2 * size + 10)
                let drawn = try line.drawText(text, x: 3, baseline: size + 3, font: font)
                XCTAssertEqual(drawn.words.map(\.text), text.split(separator: " ").map(String.init))
                for w in drawn.words {
                    var alone = try Image(width: line.width, height: line.height)
                    let single = try alone.drawText(w.text, x: w.penX, baseline: drawn.baseline, font: font)
                    // Kerning across the space may differ; the pen position is what matters.
                    XCTAssertEqual(single.wordBoxes[0], w.box, "\(w.text) in \(font)")
                    S.assertTight(alone, w.box, "\(w.text) in \(font)")
                }
                for (x, y) in S.inkPixels(line) {
                    XCTAssertTrue(drawn.wordBoxes.contains { $0.contains(x: Double(x), y: Double(y)) }, "ink at (\(x), \(y)) outside all word boxes in \(font)")
                }
                S.assertTight(line, drawn.lineBox, "line in \(font)")
                XCTAssertEqual(drawn.lineBox.level, "line")
            }
        }
    }

    /// Text running off the image: boxes are clipped to what was drawn and stay tight.
    func testClippedTextHasTightClippedBoxes() throws {
        let font = try Font.load("DejaVu Serif", size: 30)
        for (x, baseline) in [(-13, 25), (40, 8), (70, 60), (-5, 45), (85, 30)] {
            var img = try Image(width: 100, height: 50)
            let drawn = try img.drawText("jWg\"", x: x, baseline: baseline, font: font)
            S.assertTight(img, drawn.wordBoxes[0], "clipped at \(x),\(baseline)")
            if drawn.wordBoxes[0].w > 0 { S.assertEdgesTouchInk(img, drawn.wordBoxes[0], "clipped") }
        }
        var img = try Image(width: 20, height: 20)
        let off = try img.drawText("gone", x: 200, baseline: 10, font: font)
        XCTAssertEqual(off.wordBoxes[0].w, 0)
        XCTAssertEqual(off.wordBoxes[0].x, 200)
        XCTAssertFalse(off.hasInk)
        XCTAssertEqual(img.pixels.max(), 0)
    }

    func testSpacesHaveNoBoxesAndBaselineConventions() throws {
        let font = try Font(family: "DejaVu Sans", size: 20)
        let m = try font.measure("  a  bc ")
        XCTAssertEqual(m.words.map(\.text), ["a", "bc"])
        XCTAssertEqual(m.characterBoxes.map(\.text), ["a", "b", "c"])
        XCTAssertEqual(m.words[0].penX, 2 * font.spaceWidth)
        // "x" sits on the baseline: its ink ends on the row above the baseline.
        let x = try font.measure("x").wordBoxes[0]
        XCTAssertEqual(x.y + x.h, 0)
        // Top-based drawing puts the baseline at top + ascent.
        var a = try Image(width: 60, height: 40), b = try Image(width: 60, height: 40)
        let da = try a.drawText("Hx", x: 2, top: 5, font: font)
        let db = try b.drawText("Hx", x: 2, baseline: 5 + font.ascent, font: font)
        XCTAssertEqual(a, b)
        XCTAssertEqual(da, db)
        XCTAssertEqual(da.baseline, 5 + font.ascent)
        XCTAssertGreaterThan(font.lineHeight, font.ascent)
        // A decomposed accent is one character; its box includes the mark.
        let decomposed = try font.measure("cafe\u{301}")
        XCTAssertEqual(decomposed.characterBoxes.count, 4)
        let e = decomposed.characterBoxes[3], plainE = try font.measure("cafe").characterBoxes[3]
        XCTAssertLessThan(e.y, plainE.y, "the acute raises the top of the box")
        XCTAssertEqual(decomposed.wordBoxes[0].y, e.y)
    }

    func testKerningNarrowsPairs() throws {
        for family in ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Liberation Serif"] {
            let font = try Font(family: family, size: 32)
            XCTAssertTrue(font.hasKerning, family)
            for pair in ["AV", "To"] {
                let kerned = try font.measure(pair)
                let plain = try font.measure(pair, kerning: false)
                let sum = try pair.map { try font.measure(String($0)).advance }.reduce(0, +)
                XCTAssertEqual(plain.advance, sum, "\(pair) in \(family) without kerning")
                XCTAssertLessThan(kerned.advance, sum, "\(pair) in \(family)")
                XCTAssertLessThan(kerned.wordBoxes[0].w, plain.wordBoxes[0].w, "\(pair) in \(family)")
            }
        }
        let mono = try Font(family: "Liberation Mono", size: 32)
        XCTAssertFalse(mono.hasKerning)
        XCTAssertEqual(try mono.measure("AV").advance, try mono.measure("AV", kerning: false).advance)
        // The drawn pixels differ too.
        let font = try Font(family: "DejaVu Sans", size: 32)
        var a = try Image(width: 80, height: 40), b = try Image(width: 80, height: 40)
        try a.drawText("AV", x: 2, baseline: 32, font: font)
        try b.drawText("AV", x: 2, baseline: 32, font: font, kerning: false)
        XCTAssertNotEqual(a, b)
    }

    func testAntiAliasingAndInkBlending() throws {
        let font = try Font(family: "DejaVu Sans", size: 16)
        var img = try Image(width: 60, height: 24)
        try img.drawText("Slope", x: 1, baseline: 17, font: font)
        XCTAssertEqual(img.pixels.max(), 1)
        XCTAssertTrue(img.pixels.contains { $0 > 0 && $0 < 1 }, "anti-aliased edges have partial coverage")
        // Ink 0.5 on a background of 1 (dark text on white) keeps the boxes.
        var light = try Image(width: 60, height: 24, fill: 1)
        let d = try light.drawText("Slope", x: 1, baseline: 17, font: font, ink: 0)
        var fresh = try Image(width: 60, height: 24)
        XCTAssertEqual(d.wordBoxes, try fresh.drawText("Slope", x: 1, baseline: 17, font: font).wordBoxes)
        XCTAssertEqual(light.pixels.min(), 0)
        // RGB: every channel is drawn; a color goes per channel.
        var rgb = try Image(width: 60, height: 24, channels: 3)
        try rgb.drawText("Slope", x: 1, baseline: 17, font: font, color: [1, 0.5, 0])
        let plane = 60 * 24
        for i in 0..<plane {
            XCTAssertEqual(rgb.pixels[plane + i], rgb.pixels[i] * 0.5, accuracy: 1e-6)
            XCTAssertEqual(rgb.pixels[2 * plane + i], 0)
        }
        XCTAssertTrue(Array(rgb.pixels[0..<plane]) == img.pixels, "red channel = the gray drawing")
        XCTAssertThrowsError(try rgb.drawText("x", x: 0, baseline: 10, font: font, color: [1, 0])) { e in
            XCTAssertTrue("\(e)".contains("needs 1 value or 3"), "\(e)")
        }
    }

    func testTextErrors() throws {
        let font = try Font(family: "DejaVu Sans", size: 16)
        var img = try Image(width: 50, height: 20)
        XCTAssertThrowsError(try img.drawText("two\nlines", x: 0, baseline: 15, font: font)) { e in
            XCTAssertTrue("\(e)".contains("line break"), "\(e)")
        }
        XCTAssertThrowsError(try img.drawText("漢字", x: 0, baseline: 15, font: font)) { e in
            XCTAssertTrue("\(e)".contains("U+6F22"), "\(e)")
            XCTAssertTrue("\(e)".contains("DejaVu Sans"), "\(e)")
        }
        XCTAssertEqual(img.pixels.max(), 0, "nothing drawn on error")
    }

    func testFontsAreSafeToShareAcrossThreads() throws {
        let font = try Font(family: "Liberation Serif", size: 19)
        let words = Array(S.words.prefix(40))
        let serial = try words.map { try font.measure($0) }
        let fresh = try Font(family: "Liberation Serif", size: 19)  // empty glyph cache
        var results = [DrawnText?](repeating: nil, count: words.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: words.count) { i in
            let r = try? fresh.measure(words[i])
            lock.lock(); results[i] = r; lock.unlock()
        }
        XCTAssertEqual(results.map { $0! }, serial)
    }
}
