import DVSTensor
import DVSVision
import XCTest

final class ImageOpsTests: XCTestCase {
    func gray(_ rows: [[Float]]) throws -> Image {
        try Image(width: rows[0].count, height: rows.count, channels: 1, pixels: rows.flatMap { $0 })
    }

    func randomImage(width: Int, height: Int, channels: Int, seed: UInt64) throws -> Image {
        let random = RandomGenerator(seed: seed)
        return try Image(
            width: width, height: height, channels: channels,
            pixels: (0..<(width * height * channels)).map { _ in Float(random.nextInt(below: 257)) / 256 })
    }

    func message(_ body: () throws -> Image) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    // MARK: - Resize

    /// 2×2 → 4×4 with half-pixel centers: sources at −0.25 (edge), 0.25, 0.75, 1.25 (edge).
    func testBilinearUpscaleMatchesHandValues() throws {
        let image = try gray([[0, 1], [1, 0]])
        let big = try image.resized(width: 4, height: 4)
        XCTAssertEqual(
            big.pixels,
            [
                0, 0.25, 0.75, 1,
                0.25, 0.375, 0.625, 0.75,
                0.75, 0.625, 0.375, 0.25,
                1, 0.75, 0.25, 0,
            ])
    }

    /// 4×4 → 2×2 samples at 0.5 and 2.5: the mean of each 2×2 block.
    func testBilinearDownscaleAveragesBlocks() throws {
        let image = try gray([[0, 1, 0, 0], [1, 0, 0, 0], [1, 1, 0.5, 0.5], [1, 1, 0.5, 0.5]])
        XCTAssertEqual(try image.resized(width: 2, height: 2).pixels, [0.5, 0, 1, 0.5])
        // Non-square, per channel, and the identity.
        let rgb = try randomImage(width: 5, height: 3, channels: 3, seed: 1)
        XCTAssertEqual(try rgb.resized(width: 5, height: 3), rgb)
        let wide = try rgb.resized(width: 9, height: 2)
        XCTAssertEqual([wide.width, wide.height, wide.channels], [9, 2, 3])
        let flat = try Image(width: 1, height: 1, channels: 1, fill: 0.3).resized(width: 3, height: 2)
        XCTAssertEqual(flat.pixels, [Float](repeating: 0.3, count: 6))
    }

    // MARK: - Blur

    func testBlurKernelAndSigma() throws {
        let k = Image.gaussianKernel(radius: 1, sigma: 0.8)
        XCTAssertEqual(k.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertEqual(k[0], k[2])
        // [e, 1, e] / (1 + 2e) with e = exp(−1 / (2 · 0.8²)) = 0.45783: [0.2390, 0.5220, 0.2390].
        XCTAssertEqual(k[1], 0.52201, accuracy: 1e-5)
        XCTAssertEqual(k[0], 0.23899, accuracy: 1e-5)
        // The default sigma is OpenCV's for ksize 2r+1: 0.3(r−1)+0.8.
        var dot = try Image(width: 9, height: 9)
        dot[0, 4, 4] = 1
        XCTAssertEqual(try dot.blurred(radius: 2), try dot.blurred(radius: 2, sigma: 1.1))
    }

    /// Ink away from the borders keeps its total; a flat image stays flat; radius 0 is the identity.
    func testBlurPreservesMean() throws {
        var page = try Image(width: 21, height: 15)
        page[0, 7, 10] = 1
        page[0, 6, 9] = 0.5
        let blurred = try page.blurred(radius: 3)
        XCTAssertEqual(blurred.pixels.reduce(0, +), 1.5, accuracy: 1e-5)
        XCTAssertLessThan(blurred[0, 7, 10], 0.5)
        XCTAssertGreaterThan(blurred[0, 7, 12], 0)
        let flat = try Image(width: 6, height: 4, channels: 3, fill: 0.4)
        for (a, b) in zip(try flat.blurred(radius: 4).pixels, flat.pixels) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let random = try randomImage(width: 40, height: 30, channels: 1, seed: 3)
        let mean = random.pixels.reduce(0, +) / Float(random.pixels.count)
        let blurredMean = try random.blurred(radius: 2).pixels.reduce(0, +) / Float(random.pixels.count)
        XCTAssertEqual(blurredMean, mean, accuracy: 0.01)
        XCTAssertEqual(try random.blurred(radius: 0), random)
    }

    func testBlurDotIsSeparableGaussian() throws {
        var dot = try Image(width: 7, height: 7)
        dot[0, 3, 3] = 1
        let k = Image.gaussianKernel(radius: 1, sigma: 0.8)
        let b = try dot.blurred(radius: 1)
        for y in 0..<3 {
            for x in 0..<3 { XCTAssertEqual(b[0, 2 + y, 2 + x], k[y] * k[x], accuracy: 1e-7) }
        }
        XCTAssertEqual(b[0, 0, 0], 0)
    }

    // MARK: - Values

    func testInvertTwiceIsIdentity() throws {
        let rgba = try randomImage(width: 7, height: 5, channels: 4, seed: 2)
        XCTAssertEqual(rgba.inverted().inverted(), rgba)
        let once = rgba.inverted()
        let n = 35
        XCTAssertEqual(once.pixels[0], 1 - rgba.pixels[0])
        XCTAssertEqual(Array(once.pixels[(3 * n)...]), Array(rgba.pixels[(3 * n)...]), "alpha is kept")
    }

    func testGrayscaleIsRec601OverWhite() throws {
        let rgb = try Image(width: 3, height: 1, channels: 3, pixels: [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let g = rgb.grayscale()
        XCTAssertEqual(g.channels, 1)
        XCTAssertEqual(g.pixels[0], 0.299, accuracy: 1e-6)
        XCTAssertEqual(g.pixels[1], 0.587, accuracy: 1e-6)
        XCTAssertEqual(g.pixels[2], 0.114, accuracy: 1e-6)
        // Black text: opaque → 0, transparent → white paper, half → halfway.
        let rgba = try Image(width: 3, height: 1, channels: 4, pixels: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0.5])
        let composite = rgba.grayscale().pixels
        XCTAssertEqual(composite[0], 0, accuracy: 1e-6)
        XCTAssertEqual(composite[1], 1, accuracy: 1e-6)
        XCTAssertEqual(composite[2], 0.5, accuracy: 1e-6)
        let already = try gray([[0.2, 0.7]])
        XCTAssertEqual(already.grayscale(), already)
    }

    func testChannelConversions() throws {
        let g = try gray([[0.25, 1]])
        XCTAssertEqual(try g.converted(channels: 3).pixels, [0.25, 1, 0.25, 1, 0.25, 1])
        XCTAssertEqual(try g.converted(channels: 4).pixels, [0.25, 1, 0.25, 1, 0.25, 1, 1, 1])
        let rgba = try Image(width: 1, height: 1, channels: 4, pixels: [0, 1, 0.5, 0.5])
        XCTAssertEqual(try rgba.converted(channels: 3).pixels, [0.5, 1, 0.75])
        XCTAssertEqual(message { try g.converted(channels: 2) }, "convert: channels must be 1, 3 or 4, got 2")
    }

    func testNormalizedStretchesToUnitRange() throws {
        let image = try gray([[0.2, 0.4], [0.6, 0.3]])
        let n = image.normalized().pixels
        XCTAssertEqual(n[0], 0)
        XCTAssertEqual(n[2], 1)
        XCTAssertEqual(n[1], 0.5, accuracy: 1e-6)
        XCTAssertEqual(n[3], 0.25, accuracy: 1e-6)
        let flat = try Image(width: 3, height: 2, fill: 0.7)
        XCTAssertEqual(flat.normalized(), flat, "a constant image is kept")
    }

    func testContrastAroundMidGray() throws {
        let image = try gray([[0, 0.25, 0.5, 0.75, 1]])
        XCTAssertEqual(try image.contrast(factor: 2).pixels, [0, 0, 0.5, 1, 1])
        XCTAssertEqual(try image.contrast(factor: 0.5).pixels, [0.25, 0.375, 0.5, 0.625, 0.75])
        XCTAssertEqual(try image.contrast(factor: 0).pixels, [Float](repeating: 0.5, count: 5))
        XCTAssertEqual(try image.contrast(factor: 1), image)
        XCTAssertEqual(message { try image.contrast(factor: -1) }, "contrast: factor must be a finite number ≥ 0, got -1.0")
    }

    // MARK: - Noise

    func testNoiseIsSeededAndClamped() throws {
        let mid = try Image(width: 64, height: 64, channels: 1, fill: 0.5)
        let a = try mid.addingNoise(std: 0.1, seed: 9)
        XCTAssertEqual(a, try mid.addingNoise(std: 0.1, seed: 9), "same seed, same image")
        XCTAssertNotEqual(a, try mid.addingNoise(std: 0.1, seed: 10))
        let mean = a.pixels.reduce(0, +) / Float(a.pixels.count)
        let variance = a.pixels.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(a.pixels.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.01)
        XCTAssertEqual(variance.squareRoot(), 0.1, accuracy: 0.01)
        let loud = try mid.addingNoise(std: 5, seed: 1)
        XCTAssertTrue(loud.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(try mid.addingNoise(std: 0, seed: 1), mid)
        let rgba = try Image(width: 4, height: 4, channels: 4, fill: 0.5)
        XCTAssertEqual(Array(try rgba.addingNoise(std: 0.2, seed: 3).pixels[48...]), [Float](repeating: 0.5, count: 16), "alpha is kept")
        XCTAssertEqual(message { try mid.addingNoise(std: -0.1, seed: 1) }, "noise: std must be a finite number ≥ 0, got -0.1")
        XCTAssertEqual(message { try mid.addingNoise(std: .nan, seed: 1) }, "noise: std must be a finite number ≥ 0, got nan")
    }

    // MARK: - Crop, pad, stack

    func testCropAndPadGeometry() throws {
        let image = try Image(width: 4, height: 3, channels: 1, pixels: (0..<12).map { Float($0) / 11 })
        let part = try image.crop(x: 1, y: 1, w: 2, h: 2)
        XCTAssertEqual(part.pixels, [5, 6, 9, 10].map { Float($0) / 11 })
        XCTAssertEqual(try image.crop(x: 0, y: 0, w: 4, h: 3), image)

        let padded = try image.pad(left: 1, top: 2, right: 3, bottom: 0, value: 0.5)
        XCTAssertEqual([padded.width, padded.height], [8, 5])
        XCTAssertEqual(padded[0, 0, 0], 0.5)
        XCTAssertEqual(padded[0, 2, 1], image[0, 0, 0])
        XCTAssertEqual(padded[0, 4, 4], image[0, 2, 3])
        XCTAssertEqual(padded[0, 4, 5], 0.5)
        XCTAssertEqual(try padded.crop(x: 1, y: 2, w: 4, h: 3), image, "crop undoes pad")
        let rgba = try Image(width: 1, height: 1, channels: 4, fill: 0.2).pad(left: 1, top: 0, right: 0, bottom: 0)
        XCTAssertEqual(rgba.pixels, [0, 0.2, 0, 0.2, 0, 0.2, 1, 0.2], "padding is opaque")
    }

    func testCropAndPadErrors() throws {
        let image = try Image(width: 4, height: 3)
        XCTAssertEqual(
            message { try image.crop(x: 2, y: 0, w: 3, h: 1) },
            "crop: region x=2 y=0 w=3 h=1 is outside the 4×3 image (needs x ≥ 0, y ≥ 0, x + w ≤ 4, y + h ≤ 3)")
        XCTAssertEqual(
            message { try image.crop(x: -1, y: 0, w: 1, h: 1) },
            "crop: region x=-1 y=0 w=1 h=1 is outside the 4×3 image (needs x ≥ 0, y ≥ 0, x + w ≤ 4, y + h ≤ 3)")
        XCTAssertEqual(message { try image.crop(x: 0, y: 0, w: 0, h: 1) }, "crop: width and height must be ≥ 1, got w=0 h=1")
        XCTAssertEqual(
            message { try image.crop(x: Int.max, y: 0, w: 2, h: 1) },
            "crop: region x=\(Int.max) y=0 w=2 h=1 is outside the 4×3 image (needs x ≥ 0, y ≥ 0, x + w ≤ 4, y + h ≤ 3)")
        XCTAssertEqual(
            message { try image.pad(left: -1, top: 0, right: 0, bottom: 0) },
            "pad: borders must be ≥ 0, got left=-1 top=0 right=0 bottom=0")
        XCTAssertEqual(message { try image.pad(left: 0, top: 0, right: 0, bottom: 0, value: 2) }, "pad: fill value must be in [0, 1], got 2.0")
        XCTAssertEqual(
            message { try image.pad(left: 32_766, top: 0, right: 0, bottom: 0) },
            "pad: the result would be 32770×3 pixels: each side must be 1…32768")
        XCTAssertEqual(
            message { try image.pad(left: Int.max, top: 0, right: 0, bottom: 0) },
            "pad: borders must be at most 32768, got left=\(Int.max) top=0 right=0 bottom=0")
    }

    func testSizeAndArgumentErrors() throws {
        let image = try Image(width: 4, height: 3)
        XCTAssertEqual(message { try image.resized(width: 0, height: 5) }, "resize: the result would be 0×5 pixels: each side must be 1…32768")
        XCTAssertEqual(
            message { try image.resized(width: 20000, height: 20000) },
            "resize: the result would be 20000×20000 pixels: 400000000 pixels, more than the limit of 67108864")
        XCTAssertEqual(message { try image.blurred(radius: -1) }, "blur: radius must be 0…256, got -1")
        XCTAssertEqual(message { try image.blurred(radius: 1, sigma: 0) }, "blur: sigma must be a finite number > 0, got 0.0")
    }

    func testStacksConvertChannelsAndPad() throws {
        let g = try gray([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])  // 2×3 gray
        let rgb = try Image(width: 1, height: 2, channels: 3, pixels: [1, 1, 0.5, 0.5, 0, 0])
        let h = try Image.hstack([g, rgb], background: 0.9)
        XCTAssertEqual([h.width, h.height, h.channels], [3, 3, 3])
        XCTAssertEqual(h[0, 0, 0], 0.1)
        XCTAssertEqual(h[2, 2, 1], 0.6, "gray copied to every channel")
        XCTAssertEqual(h[1, 1, 2], 0.5)
        XCTAssertEqual(h[0, 2, 2], 0.9, "shorter image padded below")

        let v = try Image.vstack([g, rgb])
        XCTAssertEqual([v.width, v.height, v.channels], [2, 5, 3])
        XCTAssertEqual(v[0, 3, 0], 1)
        XCTAssertEqual(v[0, 3, 1], 0, "narrower image padded on the right")
        XCTAssertEqual(try Image.vstack([g]), g)

        let rgba = try Image(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 0.5])
        let mixed = try Image.hstack([rgba, g])
        XCTAssertEqual(mixed.channels, 4)
        XCTAssertEqual(mixed[3, 2, 0], 1, "padding is opaque")
        XCTAssertEqual(mixed[3, 0, 0], 0.5)
        XCTAssertEqual(message { try Image.hstack([]) }, "hstack: needs at least one image, got none")
        XCTAssertEqual(message { try Image.vstack([g], background: -1) }, "vstack: fill value must be in [0, 1], got -1.0")
    }
}
