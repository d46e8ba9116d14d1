import DVSTensor
import DVSVision
import XCTest

final class OverlayTests: XCTestCase {
    func testDrawBox() throws {
        var img = try Image(width: 10, height: 8)
        img.drawBox(Box(x: 2, y: 1, w: 5, h: 4), value: 1)
        for y in 0..<8 {
            for x in 0..<10 {
                let inside = x >= 2 && x < 7 && y >= 1 && y < 5
                let edge = inside && (x == 2 || x == 6 || y == 1 || y == 4)
                XCTAssertEqual(img[0, y, x], edge ? 1 : 0, "(\(x), \(y))")
            }
        }
        var thick = try Image(width: 10, height: 10)
        thick.drawBox(Box(x: 0, y: 0, w: 10, h: 10), value: 0.5, thickness: 2)
        XCTAssertEqual(thick.pixels.filter { $0 == 0.5 }.count, 100 - 36)
        var clipped = try Image(width: 5, height: 5)
        clipped.drawBox(Box(x: -3, y: 2, w: 20, h: 2), value: 1)  // partly outside: no crash
        XCTAssertEqual(clipped.pixels.filter { $0 == 1 }.count, 10)
        var rgb = try Image(width: 6, height: 6, channels: 3)
        try rgb.drawBox(Box(x: 1, y: 1, w: 4, h: 4), color: [1, 0, 0.5])
        XCTAssertEqual(rgb[0, 1, 1], 1)
        XCTAssertEqual(rgb[1, 1, 1], 0)
        XCTAssertEqual(rgb[2, 1, 1], 0.5)
        XCTAssertEqual(rgb[0, 2, 2], 0)
        XCTAssertThrowsError(try rgb.fillBox(Box(x: 0, y: 0, w: 2, h: 2), color: [1, 1])) { e in
            XCTAssertTrue("\(e)".contains("fillBox: a color needs 1 value or 3"), "\(e)")
        }
        try rgb.fillBox(Box(x: 0, y: 0, w: 2, h: 2), color: [1], alpha: 0.5)
        XCTAssertEqual(rgb[2, 0, 0], 0.5)
    }

    func testLabelsAreCutToFit() throws {
        let font = try Font.load("DejaVu Sans", size: 10)
        var img = try Image(width: 28, height: 28, channels: 3, fill: 1)
        let drawn = try img.drawLabel("extraordinary", in: Box(x: 0, y: 0, w: 28, h: 28), font: font, color: [0, 0, 0])
        XCTAssertNotNil(drawn)
        XCTAssertTrue(drawn!.text.hasSuffix("…"), drawn!.text)
        XCTAssertLessThanOrEqual(drawn!.lineBox.x + drawn!.lineBox.w, 27)
        XCTAssertNil(try img.drawLabel("x", in: Box(x: 0, y: 0, w: 28, h: 5), font: font, color: [0]))
    }

    func testOverlayOfAPage() throws {
        let page = try TextPage.generate(
            lines: [["red", "fish", "blue"], ["old", "moon", "road", "warm"]], font: "DejaVu Sans", size: 16, jitter: 2, seed: 3)
        // 2×2-merged 14 px patches: 2 rows × 8 columns of 28×28 regions, row-major.
        var regions: [Box] = []
        for r in 0..<2 { for c in 0..<8 { regions.append(Box(x: Double(c * 28), y: Double(r * 28), w: 28, h: 28)) } }
        // Label = the word covering the region's center (a stand-in for the labeler).
        let labels: [String?] = regions.map { cell in
            page.words.max { $0.intersection(cell).area < $1.intersection(cell).area }.flatMap { $0.intersection(cell).area > 0 ? $0.text : nil }
        }
        XCTAssertTrue(labels.contains(nil) && labels.contains { $0 != nil })
        let out = try Overlay.draw(page.image, regions: regions, labels: labels, words: page.words)
        XCTAssertEqual(out.channels, 3)
        XCTAssertEqual(out.width, 448)
        XCTAssertEqual(out.height, 112)
        TextTestSupport.dump(out, "overlay")
        // An unlabeled cell is tinted gray; a labeled cell's interior background stays white.
        let unlabeled = labels.firstIndex { $0 == nil }!, labeled = labels.firstIndex { $0 != nil }!
        func pixel(_ cell: Int, _ dx: Int, _ dy: Int) -> [Float] {
            let x = Int(regions[cell].x) * 2 + dx, y = Int(regions[cell].y) * 2 + dy
            return (0..<3).map { out[$0, y, x] }
        }
        let tinted = pixel(unlabeled, 50, 50)
        XCTAssertLessThan(tinted[0], 0.9)
        XCTAssertEqual(tinted[0], tinted[2], accuracy: 1e-6)
        // Label text is drawn in the label color (blue dominant) in the cell's top-left.
        var blue = false
        for dy in 1..<16 { for dx in 1..<50 { let p = pixel(labeled, dx, dy); if p[2] > p[0] + 0.3 { blue = true } } }
        XCTAssertTrue(blue, "label drawn in its cell")
        // Grid line at the cell's top-left.
        let g = pixel(labeled, 0, 0)
        XCTAssertGreaterThan(g[0], g[1] + 0.3)
        // Gray ink 1 on 0 becomes dark on white.
        let plain = try Overlay.displayRGB(page.image)
        XCTAssertEqual(plain.pixels.max(), 1)
        XCTAssertEqual(plain[0, 0, 0], 1)
        XCTAssertThrowsError(try Overlay.draw(page.image, regions: regions, labels: [nil])) { e in
            XCTAssertTrue("\(e)".contains("16 regions but 1 labels"), "\(e)")
        }
    }
}
