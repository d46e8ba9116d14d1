import DVSTensor
import DVSVision
import Foundation
import XCTest

/// PNG reading and writing against the fixtures made by
/// `Fixtures/make_fixtures.py` (see `Fixtures/README.md`).
final class PNGCodecTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct GoodFixture: Decodable {
        let file: String
        let width: Int
        let height: Int
        let channels: Int
        let max: Int
        let premultiplied: Bool
        let note: String
        let values: [Int]
    }

    struct BadFixture: Decodable {
        let file: String
        let error: String
    }

    func manifest<T: Decodable>(_ folder: String) throws -> [T] {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(folder).appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode([T].self, from: data)
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dvs-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Every color type, bit depth, tRNS, palette and interlaced fixture loads to the
    /// values in its manifest: stored sample / (2^depth − 1), exactly.
    func testEveryColorTypeAndDepthLoadsExactly() throws {
        let cases: [GoodFixture] = try manifest("png")
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        for fixture in cases {
            let path = Self.fixtures.appendingPathComponent("png").appendingPathComponent(fixture.file).path
            let image: Image
            do { image = try Image.load(path: path) } catch {
                XCTFail("\(fixture.file): \(error)")
                continue
            }
            XCTAssertEqual(image.width, fixture.width, fixture.file)
            XCTAssertEqual(image.height, fixture.height, fixture.file)
            XCTAssertEqual(image.channels, fixture.channels, fixture.file)
            guard image.pixels.count == fixture.values.count else {
                XCTFail("\(fixture.file): \(image.pixels.count) values, expected \(fixture.values.count)")
                continue
            }
            let plane = fixture.width * fixture.height
            var mismatches = 0
            for (i, raw) in fixture.values.enumerated() {
                let expected = Float(raw) / Float(fixture.max)
                let got = image.pixels[i]
                if fixture.premultiplied && i < 3 * plane {
                    // 16-bit with alpha: libpng premultiplies; see PNGCodec's notes.
                    let alpha = Float(fixture.values[3 * plane + i % plane])
                    let ok = alpha == 0 ? got == 0 : abs(got - expected) <= 0.5 / alpha + 1e-7 && abs(got * alpha - expected * alpha) <= 0.5 + 1e-3
                    if !ok { mismatches += 1 }
                    if alpha == Float(fixture.max) { XCTAssertEqual(got, expected, "\(fixture.file): opaque pixels are exact") }
                } else if got != expected {
                    mismatches += 1
                }
            }
            XCTAssertEqual(mismatches, 0, "\(fixture.file) (\(fixture.note)): \(mismatches) values differ")
        }
    }

    func testMemoryAndFileReadAgree() throws {
        for name in ["gray4.png", "palette4_trns.png", "rgba16_interlaced.png"] {
            let url = Self.fixtures.appendingPathComponent("png").appendingPathComponent(name)
            let bytes = [UInt8](try Data(contentsOf: url))
            XCTAssertEqual(try Image.decodePNG(bytes), try Image.load(path: url.path), name)
        }
    }

    /// Each file in Fixtures/corrupt gives its documented error (corrupt/manifest.json), naming the file.
    func testCorruptFilesGiveTheirErrors() throws {
        let cases: [BadFixture] = try manifest("corrupt")
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        for fixture in cases {
            let path = Self.fixtures.appendingPathComponent("corrupt").appendingPathComponent(fixture.file).path
            XCTAssertThrowsError(try Image.load(path: path), fixture.file) { error in
                XCTAssertEqual("\(error)", "load PNG: '\(path)' \(fixture.error)")
            }
        }
    }

    func testErrorMessages() throws {
        let folder = try temporaryFolder()
        func message(_ body: () throws -> Image) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        let missing = folder.appendingPathComponent("missing.png").path
        XCTAssertEqual(message { try Image.load(path: missing) }, "load PNG: cannot read '\(missing)': no such file")
        XCTAssertEqual(message { try Image.load(path: folder.path) }, "load PNG: cannot read '\(folder.path)': it is a folder")
        XCTAssertEqual(message { try Image.load(path: "") }, "load PNG: cannot read: the file path is empty")
        XCTAssertEqual(message { try Image.decodePNG([]) }, "load PNG: 'PNG data' is not a PNG file: it is empty")
        XCTAssertEqual(
            message { try Image.decodePNG(Array("GIF89a..".utf8), name: "upload") },
            "load PNG: 'upload' is not a PNG file: it does not start with the 8-byte PNG signature")
        let corrupt = message { try Image.load(path: Self.fixtures.appendingPathComponent("corrupt/bad_crc_idat.png").path) }
        XCTAssertTrue(corrupt.hasSuffix("bad_crc_idat.png' is truncated or corrupt: libpng: IDAT: CRC error"), corrupt)
        let wide = message { try Image.load(path: Self.fixtures.appendingPathComponent("corrupt/too_wide.png").path) }
        XCTAssertTrue(wide.hasSuffix("too_wide.png' is 40000×1 pixels: each side must be 1…32768"), wide)
        let many = message { try Image.load(path: Self.fixtures.appendingPathComponent("corrupt/too_many_pixels.png").path) }
        XCTAssertTrue(many.hasSuffix("is 30000×30000 pixels: 900000000 pixels, more than the limit of 67108864"), many)
    }

    /// 8-bit images survive save + load exactly for 1, 3 and 4 channels.
    func testRoundTripEveryChannelCount() throws {
        let folder = try temporaryFolder()
        let random = RandomGenerator(seed: 7)
        for channels in [1, 3, 4] {
            let (w, h) = (37, 11)
            let values = (0..<(w * h * channels)).map { _ in Float(random.nextInt(below: 256)) / 255 }
            let image = try Image(width: w, height: h, channels: channels, pixels: values)
            let path = folder.appendingPathComponent("round\(channels).png").path
            try image.savePNG(path: path)
            XCTAssertEqual(try Image.load(path: path), image, "channels \(channels)")
            XCTAssertEqual(try Image.decodePNG(image.pngData()), image, "channels \(channels), in memory")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(left, ["round1.png", "round3.png", "round4.png"], "no temporary files stay behind")
    }

    /// Saving rounds to the nearest 8-bit step, clamps to [0, 1] and writes NaN as 0.
    func testSaveQuantizesAndClamps() throws {
        let image = try Image(width: 6, height: 1, channels: 1, pixels: [0.2, -0.5, 1.7, .nan, 0.5 / 255, 254.4 / 255])
        let back = try Image.decodePNG(image.pngData())
        XCTAssertEqual(back.pixels, [51 / 255, 0, 1, 0, 1 / 255, 254 / 255])
    }

    func testSaveReplacesAndReportsBadTargets() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("page.png").path
        try Image(width: 2, height: 2, fill: 0).savePNG(path: path)
        try Image(width: 3, height: 1, fill: 1).savePNG(path: path)
        let back = try Image.load(path: path)
        XCTAssertEqual([back.width, back.height], [3, 1])
        XCTAssertEqual(back.pixels, [1, 1, 1])

        let small = try Image(width: 1, height: 1)
        let inMissing = folder.appendingPathComponent("nope/page.png").path
        XCTAssertThrowsError(try small.savePNG(path: inMissing)) { error in
            XCTAssertEqual("\(error)", "save PNG: cannot write '\(inMissing)': folder '\(folder.path)/nope' does not exist")
        }
        XCTAssertThrowsError(try small.savePNG(path: folder.path)) { error in
            XCTAssertEqual("\(error)", "save PNG: cannot write '\(folder.path)': it is a folder")
        }
    }

    /// Files written by libpng itself with sRGB chunks read back as stored (the chunk is ignored).
    func testSavedFilesCarryNoGammaSurprise() throws {
        let values = (0..<256).map { Float($0) / 255 }
        let image = try Image(width: 16, height: 16, channels: 1, pixels: values)
        XCTAssertEqual(try Image.decodePNG(image.pngData()).pixels, values)
    }

    /// Truncations at every length and random byte changes never crash: each
    /// either decodes or throws a message naming the data. Half of the damaged
    /// copies get their chunk CRCs recomputed, so the damage reaches the
    /// header checks, zlib and the row filters instead of stopping at a CRC.
    func testDamagedBytesNeverCrash() throws {
        var sources: [[UInt8]] = []
        for name in ["gray1_interlaced.png", "palette8_trns.png", "rgba16.png", "gray8_text_split.png"] {
            sources.append([UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("png").appendingPathComponent(name))))
        }
        let random = RandomGenerator(seed: 42)
        var failures = 0, successes = 0
        func attempt(_ bytes: [UInt8], _ name: String) {
            do { _ = try Image.decodePNG(bytes, name: name); successes += 1 } catch {
                failures += 1
                XCTAssertTrue("\(error)".hasPrefix("load PNG: '\(name)'"), "\(error)")
            }
        }
        for bytes in sources {
            for n in stride(from: 0, to: bytes.count, by: 3) { attempt(Array(bytes[0..<n]), "cut") }
            for trial in 0..<300 {
                var damaged = bytes
                for _ in 0..<(1 + Int(random.nextInt(below: 3))) {
                    let at = 8 + Int(random.nextInt(below: UInt64(bytes.count - 8)))
                    damaged[at] = UInt8(random.nextInt(below: 256))
                }
                if trial % 2 == 0 { fixChunkCRCs(&damaged) }
                attempt(damaged, "fuzz")
            }
        }
        XCTAssertGreaterThan(failures, 0)
        XCTAssertGreaterThan(successes, 0)
    }

    /// Rewrites every chunk's CRC (as far as the chunk lengths make sense).
    func fixChunkCRCs(_ bytes: inout [UInt8]) {
        var table = [UInt32](repeating: 0, count: 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[n] = c
        }
        var at = 8
        while at + 12 <= bytes.count {
            let length = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard at + 12 + length <= bytes.count else { return }
            var crc: UInt32 = 0xFFFF_FFFF
            for b in bytes[(at + 4)..<(at + 8 + length)] { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
            crc ^= 0xFFFF_FFFF
            for k in 0..<4 { bytes[at + 8 + length + k] = UInt8((crc >> (24 - 8 * UInt32(k))) & 0xFF) }
            at += 12 + length
        }
    }
}
