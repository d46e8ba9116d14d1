import DVSTensor
import Foundation
import XCTest

@testable import DVSVision

/// A drawn OCR page from Fixtures/ocr (see its README): the image (ink = 1 on 0)
/// and the words and lines drawn on it with their tight ink boxes.
struct OCRFixturePage {
    struct Item: Decodable { let text: String; let x, y, w, h: Double }
    struct Truth: Decodable { let width, height: Int; let words: [Item]; let lines: [Item] }
    let name: String
    let image: Image
    let truth: Truth

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ocr")

    static func all() throws -> [OCRFixturePage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".pgm") }.sorted()
        return try names.map { try load(String($0.dropLast(4))) }
    }

    static func load(_ name: String) throws -> OCRFixturePage {
        let image = try readPGM(directory.appendingPathComponent(name + ".pgm"))
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: directory.appendingPathComponent(name + ".json")))
        return OCRFixturePage(name: name, image: image, truth: truth)
    }

    /// Binary 8-bit PGM (P5, maxval 255, no comments) → gray Image with values / 255.
    static func readPGM(_ url: URL) throws -> Image {
        let bytes = [UInt8](try Data(contentsOf: url))
        var pos = 0
        func token() throws -> String {
            while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x0A || bytes[pos] == 0x0D || bytes[pos] == 0x09 { pos += 1 }
            let start = pos
            while pos < bytes.count, !(bytes[pos] == 0x20 || bytes[pos] == 0x0A || bytes[pos] == 0x0D || bytes[pos] == 0x09) { pos += 1 }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }
        guard try token() == "P5", let w = Int(try token()), let h = Int(try token()), try token() == "255" else {
            throw VisionError("\(url.lastPathComponent): not an 8-bit binary PGM")
        }
        pos += 1  // the single whitespace byte before the raster
        guard bytes.count - pos == w * h else { throw VisionError("\(url.lastPathComponent): raster size mismatch") }
        return try Image(width: w, height: h, channels: 1, pixels: bytes[pos...].map { Float($0) / 255 })
    }
}

final class OCRTests: XCTestCase {
    /// One engine for the whole test class (start-up is the expensive part).
    static let engine: OCREngine = try! OCREngine()

    /// Matches read boxes to drawn boxes in order of position: each drawn
    /// item takes the unused read box with the highest IoU.
    private func match(_ read: [Box], _ drawn: [OCRFixturePage.Item]) -> [(OCRFixturePage.Item, Box?, Double)] {
        var used = Set<Int>()
        return drawn.map { d in
            let db = Box(x: d.x, y: d.y, w: d.w, h: d.h)
            var best: (Int, Double)? = nil
            for (j, r) in read.enumerated() where !used.contains(j) {
                let iou = db.iou(r)
                if iou > (best?.1 ?? 0) { best = (j, iou) }
            }
            guard let (j, iou) = best else { return (d, nil, 0) }
            used.insert(j)
            return (d, read[j], iou)
        }
    }

    func testWordsAndBoxesOnDrawnPages() throws {
        let pages = try OCRFixturePage.all()
        XCTAssertGreaterThanOrEqual(pages.count, 8)
        var total = 0, exact = 0, boxOK = 0
        var ious: [Double] = []
        for page in pages {
            let boxes = try Self.engine.recognize(page.image)
            XCTAssertTrue(boxes.allSatisfy { $0.level == "word" && (0...100).contains($0.confidence) })
            // Reading order: the read words, in order, equal the drawn words when all are right.
            for (drawn, read, iou) in match(boxes, page.truth.words) {
                total += 1
                if read?.text == drawn.text { exact += 1 }
                if read != nil {
                    ious.append(iou)
                    if iou >= 0.7 { boxOK += 1 } else { XCTFail("\(page.name) '\(drawn.text)': IoU \(iou) with \(read!)") }
                }
            }
            XCTAssertEqual(boxes.count, page.truth.words.count, "\(page.name): \(boxes.map(\.text))")
        }
        let accuracy = Double(exact) / Double(total)
        print(
            "OCR words: \(exact)/\(total) exact (\(String(format: "%.1f", accuracy * 100))%), box IoU ≥ 0.7: \(boxOK)/\(ious.count), IoU min \(String(format: "%.3f", ious.min() ?? 0)) mean \(String(format: "%.3f", ious.reduce(0, +) / Double(max(1, ious.count))))"
        )
        XCTAssertGreaterThanOrEqual(accuracy, 0.95)
        XCTAssertEqual(boxOK, ious.count)
    }

    func testReadingOrderMatchesDrawing() throws {
        let page = try OCRFixturePage.load("page00")
        let words = try Self.engine.recognize(page.image).map(\.text)
        XCTAssertEqual(words, page.truth.words.map(\.text))
    }

    func testLineLevel() throws {
        for page in try OCRFixturePage.all().prefix(4) {
            let lines = try Self.engine.recognize(page.image, level: .line)
            XCTAssertEqual(lines.count, page.truth.lines.count, page.name)
            for (drawn, read, iou) in match(lines, page.truth.lines) {
                XCTAssertEqual(read?.level, "line")
                XCTAssertEqual(read?.text, drawn.text, page.name)
                XCTAssertGreaterThanOrEqual(iou, 0.7, "\(page.name) line '\(drawn.text)'")
            }
        }
    }

    func testAutomaticLayoutAlsoReads() throws {
        let page = try OCRFixturePage.load("page01")
        let words = try Self.engine.recognize(page.image, psm: 3).map(\.text)
        XCTAssertEqual(words, page.truth.words.map(\.text))
    }

    func testColorImageUsesLuma() throws {
        // Dark blue text on a pale yellow background, as an ordinary RGB picture.
        let page = try OCRFixturePage.load("page02")
        let g = page.image.pixels, n = g.count
        var rgb = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            let ink = g[i]
            rgb[i] = 1 - ink * 0.9  // R
            rgb[n + i] = 1 - ink * 0.85  // G
            rgb[2 * n + i] = 0.8 - ink * 0.3  // B
        }
        let image = try Image(width: page.image.width, height: page.image.height, channels: 3, pixels: rgb)
        XCTAssertEqual(try Self.engine.recognize(image).map(\.text), page.truth.words.map(\.text))
    }

    func testBlankAndTinyPages() throws {
        XCTAssertEqual(try Self.engine.recognize(try Image(width: 200, height: 80)), [])
        XCTAssertEqual(try Self.engine.recognize(try Image(width: 1, height: 1, fill: 1)), [])
        _ = try Self.engine.recognize(try Image(width: 3, height: 40, fill: 1))
        _ = try Self.engine.recognize(try Image(width: 2, height: 2), level: .line)
    }

    func testBadInputErrors() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        var empty = try Image(width: 4, height: 4)
        empty.pixels = []
        XCTAssertTrue(message { _ = try Self.engine.recognize(empty) }.contains("has 0 values for 4×4×1"))
        let wide = try Image(width: 32_768, height: 1)
        XCTAssertTrue(message { _ = try Self.engine.recognize(wide) }.contains("too large"))
        let small = try Image(width: 10, height: 10)
        for psm in [-1, 0, 2, 14, 99] {
            XCTAssertTrue(message { _ = try Self.engine.recognize(small, psm: psm) }.contains("unknown page segmentation mode \(psm)"))
        }
        XCTAssertTrue(message { _ = try OCREngine(language: "../eng") }.contains("bad language name"))
        XCTAssertTrue(message { _ = try OCREngine(language: "") }.contains("bad language name"))
        XCTAssertTrue(message { _ = try OCRPool(workers: 0) }.contains("at least 1"))
        let pool = try OCRPool(workers: 2)
        XCTAssertTrue(message { _ = try pool.recognizeAll([small, empty]) }.contains("OCR page 1: image has 0 values"))
        XCTAssertEqual(pool.engineCount, 0, "bad input is refused before any engine starts")
    }

    func testMissingLanguageNamesEveryPathSearched() throws {
        var text = ""
        do { _ = try OCREngine(language: "xyz"); XCTFail("expected an error") } catch { text = "\(error)" }
        XCTAssertTrue(text.contains("'xyz'") && text.contains("xyz.traineddata"), text)
        for path in OCREngine.tessdataSearchPaths() { XCTAssertTrue(text.contains(path), "\(path) missing from: \(text)") }
        XCTAssertTrue(text.contains("/usr/share/tesseract-ocr/5/tessdata") && text.contains("/usr/local/share/tessdata"), text)
        // Several languages: every one must be present.
        XCTAssertThrowsError(try OCREngine(language: "eng+xyz")) { XCTAssertTrue("\($0)".contains("eng+xyz")) }
        // An explicit folder is the only one searched.
        do { _ = try OCRPool(language: "eng", tessdata: "/nonexistent/tessdata"); XCTFail("expected an error") } catch {
            XCTAssertTrue("\(error)".contains("searched: /nonexistent/tessdata;"), "\(error)")
        }
    }

    func testSearchOrder() {
        let env = ["DVS_TESSDATA": "/a", "TESSDATA_PREFIX": "/b"]
        XCTAssertEqual(
            OCREngine.tessdataSearchPaths(environment: env),
            [
                "/a", "/b", "/b/tessdata", "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                "/usr/share/tessdata", "/usr/local/share/tessdata",
            ])
        XCTAssertEqual(OCREngine.tessdataSearchPaths(environment: [:]).first, "/usr/share/tesseract-ocr/5/tessdata")
        XCTAssertEqual(try OCREngine.findTessdata(language: "eng", tessdata: nil), "/usr/share/tesseract-ocr/5/tessdata")
    }

    func testPoolMatchesSingleEngineInInputOrder() throws {
        let pages = try OCRFixturePage.all()
        // 10 pages, reversed and one repeated, so order mistakes show.
        let images = pages.reversed().map(\.image) + [pages[0].image]
        let single = try images.map { try Self.engine.recognize($0) }
        let pool = try OCRPool()
        let first = try pool.recognizeAll(images)
        XCTAssertEqual(first, single)
        XCTAssertLessThanOrEqual(pool.engineCount, pool.workers)
        let engines = pool.engineCount
        XCTAssertEqual(try pool.recognizeAll(images), single, "second call reuses the engines")
        XCTAssertEqual(pool.engineCount, engines)
        XCTAssertEqual(
            try pool.recognizeAll(images.prefix(3).map { $0 }, level: .line),
            try images.prefix(3).map { try Self.engine.recognize($0, level: .line) })
        XCTAssertEqual(try pool.recognizeAll([]), [])
        XCTAssertTrue(try OCRPool.shared() === OCRPool.shared())
    }

    /// Throughput of the pool vs the `tesseract` CLI run once per page.
    /// Not a test: runs only with DVS_OCR_BENCH=<folder of pageNN.pgm/.png>
    /// (make them with Fixtures/ocr/make_fixtures.py --count 20 --out DIR --png).
    func testBenchmarkPoolVsCLI() throws {
        guard let dir = ProcessInfo.processInfo.environment["DVS_OCR_BENCH"] else { throw XCTSkip("set DVS_OCR_BENCH to run") }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".pgm") }.sorted()
        let images = try names.map { try OCRFixturePage.readPGM(URL(fileURLWithPath: dir).appendingPathComponent($0)) }
        func time(_ body: () throws -> Void) rethrows -> Double {
            let t0 = Date(); try body(); return Date().timeIntervalSince(t0)
        }
        let t0 = Date()
        let pool = try OCRPool()
        _ = try pool.recognizeAll(images)  // cold: includes engine start-up
        let cold = Date().timeIntervalSince(t0)
        var warm = Double.infinity
        for _ in 0..<3 { warm = min(warm, try time { _ = try pool.recognizeAll(images) }) }
        let engine = try OCREngine()
        var one = Double.infinity
        for _ in 0..<2 { one = min(one, try time { for im in images { _ = try engine.recognize(im) } }) }
        // The CLI as users run it (OpenMP on), and with OMP_THREAD_LIMIT=1.
        func cli(ompLimit: Bool) throws -> Double {
            var env = ProcessInfo.processInfo.environment
            env["OMP_THREAD_LIMIT"] = ompLimit ? "1" : nil
            var best = Double.infinity
            for _ in 0..<2 {
                best = min(
                    best,
                    try time {
                        for name in names {
                            let p = Process()
                            p.executableURL = URL(fileURLWithPath: "/usr/bin/tesseract")
                            p.arguments = [dir + "/" + name.replacingOccurrences(of: ".pgm", with: ".png"), "-", "--psm", "6", "tsv"]
                            p.environment = env
                            p.standardOutput = FileHandle.nullDevice
                            p.standardError = FileHandle.nullDevice
                            try p.run(); p.waitUntilExit()
                        }
                    })
            }
            return best
        }
        let cliDefault = try cli(ompLimit: false), cliSerial = try cli(ompLimit: true)
        let n = Double(images.count)
        print(
            String(
                format:
                    "OCR bench, %d pages, %d workers: pool warm %.1f pages/s, pool cold %.1f pages/s, one engine %.1f pages/s; CLI per page %.1f pages/s (OMP_THREAD_LIMIT=1: %.1f)",
                images.count, pool.workers, n / warm, n / cold, n / one, n / cliDefault, n / cliSerial))
    }
}
