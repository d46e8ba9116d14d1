import DVSTensor
import DVSVision
import XCTest

/// Known bytes from Pillow 13.0 (`Image.resize(size, Resampling.BICUBIC)`,
/// `alpha_composite` over white); the full comparison with transformers is
/// Tests/interop/qwen2vl_grid_parity.py.
final class PillowResampleTests: XCTestCase {
    private func resize(_ bytes: [UInt8], _ w: Int, _ h: Int, to ow: Int, _ oh: Int) throws -> [UInt8] {
        try PillowResample.resize(try ByteImage(width: w, height: h, channels: 1, bytes: bytes), width: ow, height: oh).bytes
    }

    func testOneRowShrinkAndEnlarge() throws {
        let row: [UInt8] = [0, 255, 0, 255, 10]
        XCTAssertEqual(try resize(row, 5, 1, to: 3, 1), [106, 125, 112], "antialiased shrink")
        XCTAssertEqual(try resize(row, 5, 1, to: 8, 1), [0, 114, 252, 59, 59, 252, 120, 0], "overshoot clipped to 0…255")
    }

    func testBothPassesInPillowsOrder() throws {
        let ramp = (0..<30).map { UInt8($0 * 8) }
        // Width shrinks more than height: horizontal pass first.
        XCTAssertEqual(try resize(ramp, 6, 5, to: 4, 3), [19, 31, 43, 55, 98, 110, 122, 134, 177, 189, 201, 213])
        // Height grows, width shrinks: horizontal first; bytes between the passes.
        XCTAssertEqual(try resize(ramp, 6, 5, to: 2, 7), [6, 28, 33, 55, 71, 93, 105, 127, 139, 161, 177, 199, 204, 226])
    }

    func testSameSizeIsUnchanged() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6]
        XCTAssertEqual(try resize(bytes, 3, 2, to: 3, 2), bytes)
    }

    func testRGBAOverWhite() throws {
        // Pixels (200, 100, 50) at alpha 0, 128, 255, and black at alpha 1.
        let planar: [UInt8] = [200, 200, 200, 0, 100, 100, 100, 0, 50, 50, 50, 0, 0, 128, 255, 1]
        let rgb = try ByteImage(width: 4, height: 1, channels: 4, bytes: planar).rgbOverWhite()
        XCTAssertEqual(rgb.channels, 3)
        XCTAssertEqual(rgb.bytes, [255, 227, 200, 254, 255, 177, 100, 254, 255, 152, 50, 254])
    }

    func testQuantizeLikePNG() throws {
        let img = try Image(width: 4, height: 1, channels: 1, pixels: [0, 0.5, 1, .nan])
        XCTAssertEqual(ByteImage(img).bytes, [0, 128, 255, 0])
        XCTAssertEqual(try ByteImage(img).image().pixels[2], 1)
    }

    func testSmartResizeAndGrid() throws {
        XCTAssertTrue(try SmartResize.size(height: 42, width: 70) == (56, 56), "half to even")
        let q = try Qwen2VLGrid(sourceWidth: 640, sourceHeight: 480)
        XCTAssertEqual(q.gridTHW, [1, 34, 46])
        XCTAssertEqual(q.imageTokens, 17 * 23)
        XCTAssertEqual(q.patchLength, 1176)
        let b = q.resizedBox(Box(x: 100, y: 100, w: 50, h: 20, text: "w", level: "word"))
        for (got, want) in zip([b.x, b.y, b.w, b.h, q.sourceBox(b).x], [100.625, 100.0 * 476 / 480, 50.3125, 20.0 * 476 / 480, 100.0] as [Double]) {
            XCTAssertEqual(got, want, accuracy: 1e-9)
        }
        XCTAssertEqual(b.text, "w")
        XCTAssertThrowsError(try Qwen2VLGrid(sourceWidth: 1, sourceHeight: 201))
    }
}
