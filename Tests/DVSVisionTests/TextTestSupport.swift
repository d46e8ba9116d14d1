import DVSVision
import Foundation
import XCTest

/// Shared helpers for the text-drawing tests.
enum TextTestSupport {
    /// A fixed word list with ascenders, descenders, capitals, digits,
    /// punctuation, accents and kerning pairs.
    static let words = [
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "AV", "To", "Wave", "Type", "jiffy",
        "gypsy", "quay", "affix", "fjord", "Quartz", "zebra", "yellow", "x", "i", "l", "I", "j", ".", ",", "!?",
        "42", "2024", "3.14", "café", "cafe\u{301}", "naïve", "Über", "déjà", "(paren)", "[bracket]", "{brace}", "a/b", "under_score",
        "hyphen-ated", "Mm", "WWW", "iii", "Tj", "VAT", "LT", "Yo", "Fa", "P.", "\"quoted\"", "it's", "g", "q", "p",
        "y", "Q", "@home", "#tag", "50%", "a+b=c", "~tilde", "|pipe|", "^", "`", "*", "AWAY", "Typography", "kerning",
        "image", "vision", "token", "label", "word", "patch", "grid", "model", "train", "loss", "read", "line",
        "where", "is", "of", "DVS", "SFT", "OCR", "box", "pixel", "glyph", "font", "size", "page", "margin", "seed",
    ]

    /// Ink pixels (value > 0) of channel 0 as a set of (x, y) packed in an Int.
    static func inkPixels(_ img: Image) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for y in 0..<img.height {
            for x in 0..<img.width where img[0, y, x] > 0 { out.append((x, y)) }
        }
        return out
    }

    /// Asserts `box` is the tight bounding box of all pixels > 0 of `img` (channel 0).
    static func assertTight(_ img: Image, _ box: Box, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let ink = inkPixels(img)
        guard !ink.isEmpty else {
            XCTAssertEqual(box.w, 0, "\(what): no ink but box \(box)", file: file, line: line)
            return
        }
        let x0 = ink.map(\.0).min()!, x1 = ink.map(\.0).max()! + 1
        let y0 = ink.map(\.1).min()!, y1 = ink.map(\.1).max()! + 1
        XCTAssertEqual(box.x, Double(x0), "\(what): left", file: file, line: line)
        XCTAssertEqual(box.y, Double(y0), "\(what): top", file: file, line: line)
        XCTAssertEqual(box.x + box.w, Double(x1), "\(what): right", file: file, line: line)
        XCTAssertEqual(box.y + box.h, Double(y1), "\(what): bottom", file: file, line: line)
    }

    /// Asserts every edge row and column of `box` holds a pixel > 0.
    static func assertEdgesTouchInk(_ img: Image, _ box: Box, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let x0 = Int(box.x), y0 = Int(box.y), x1 = Int(box.x + box.w), y1 = Int(box.y + box.h)
        guard x1 > x0, y1 > y0 else { return XCTFail("\(what): empty box \(box)", file: file, line: line) }
        XCTAssertTrue((x0..<x1).contains { img[0, y0, $0] > 0 }, "\(what): top edge has no ink", file: file, line: line)
        XCTAssertTrue((x0..<x1).contains { img[0, y1 - 1, $0] > 0 }, "\(what): bottom edge has no ink", file: file, line: line)
        XCTAssertTrue((y0..<y1).contains { img[0, $0, x0] > 0 }, "\(what): left edge has no ink", file: file, line: line)
        XCTAssertTrue((y0..<y1).contains { img[0, $0, x1 - 1] > 0 }, "\(what): right edge has no ink", file: file, line: line)
    }

    /// Writes an image as PNG (stored zlib blocks, no dependency on the PNG
    /// codec) when `DVS_TEST_DUMP` names a directory; for looking at results.
    static func dump(_ img: Image, _ name: String) {
        guard let dir = ProcessInfo.processInfo.environment["DVS_TEST_DUMP"] else { return }
        let ch = img.channels == 1 ? 1 : 3
        var raw: [UInt8] = []
        for y in 0..<img.height {
            raw.append(0)
            for x in 0..<img.width {
                for c in 0..<ch { raw.append(UInt8((Swift.max(0, Swift.min(1, img[c, y, x])) * 255).rounded())) }
            }
        }
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        func crc(_ d: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in d {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return ~c
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let td = Array(type.utf8) + data
            return be32(UInt32(data.count)) + td + be32(crc(td))
        }
        var z: [UInt8] = [0x78, 0x01]
        var i = 0
        while i < raw.count {
            let n = Swift.min(65535, raw.count - i)
            z.append(i + n == raw.count ? 1 : 0)
            z += [UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)]
            z += raw[i..<(i + n)]
            i += n
        }
        var a: UInt32 = 1, b: UInt32 = 0
        for v in raw { a = (a + UInt32(v)) % 65521; b = (b + a) % 65521 }
        z += be32(b << 16 | a)
        let ihdr = be32(UInt32(img.width)) + be32(UInt32(img.height)) + [8, ch == 1 ? 0 : 2, 0, 0, 0]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", z) + chunk("IEND", [])
        try? Data(png).write(to: URL(fileURLWithPath: dir + "/" + name + ".png"))
    }
}
