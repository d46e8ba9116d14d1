import DVSTensor

/// Pillow's resize of 8-bit images, ported so that the bytes are identical:
/// `PIL.Image.resize(size, resample)` for modes L and RGB (Pillow's
/// `src/libImaging/Resample.c` as of Pillow 13.0; Pillow is under the MIT-CMU
/// licence).
///
/// The algorithm, as Pillow runs it:
/// - **Separable convolution**: a horizontal and a vertical pass, each only
///   when that side changes. Pillow 13 runs the vertical pass first when the
///   height shrinks by more than twice as many pixels as the width does
///   (`h − h′ > 0` and `h − h′ > 2 · (w − w′)`), else the horizontal pass
///   first; earlier Pillow releases ordered the passes differently, which
///   changes some bytes by the rounding in between.
/// - **Coefficients** per output position `i` of a side `n → m`: `scale = n/m`;
///   the filter is stretched by `max(scale, 1)` when shrinking (antialiasing:
///   support `filter.support · max(scale, 1)`); the taps are the input
///   positions `⌊center − support + 0.5⌋ ..< ⌊center + support + 0.5⌋` (clamped
///   to the image) around `center = (i + 0.5) · scale`, each weighted
///   `filter((j − center + 0.5) / max(scale, 1))` and normalised to sum 1, all
///   in Double.
/// - **Fixed point**: weights become integers with `PRECISION_BITS = 22`
///   fractional bits, rounded half away from zero; each output is
///   `2^21 + Σ byte · weight` in integers, shifted right by 22 (floor) and
///   clipped to 0…255. The first pass's result is stored as bytes before
///   the second pass reads it, as in Pillow.
///
/// Channels never mix, so every channel is resized on its own with the same
/// coefficients (Pillow's RGB loop does the same per band).
public enum PillowResample {
    /// A convolution filter: its kernel and its support (radius in input
    /// pixels when enlarging).
    public struct Filter: Sendable {
        public let support: Double
        public let kernel: @Sendable (Double) -> Double

        /// Bicubic convolution with a = −0.5 (`Resampling.BICUBIC`; Keys' cubic).
        /// The arithmetic is written in Pillow's order, operation for operation.
        public static let bicubic = Filter(support: 2) { x0 in
            let a = -0.5
            let x = x0 < 0 ? -x0 : x0
            if x < 1 { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        }
    }

    static let precisionBits = 22

    /// `image` resized to `width × height` with `filter`, byte for byte what
    /// Pillow's `resize((width, height), filter)` gives for an L (1 channel)
    /// or RGB (3 channels) image. Other channel counts are resized channel
    /// by channel, which for RGBA is not Pillow's result (Pillow premultiplies
    /// by alpha first): convert with `rgbOverWhite()` before.
    public static func resize(_ image: ByteImage, width: Int, height: Int, filter: Filter = .bicubic) throws(VisionError) -> ByteImage {
        try Image.checkResultSize("resize", width: width, height: height)
        if width == image.width && height == image.height { return image }
        var out = image
        let shrink = image.height - height
        if shrink > 0 && shrink > (image.width - width) * 2 {
            out = try vertical(out, to: height, filter)
            out = try horizontal(out, to: width, filter)
        } else {
            out = try horizontal(out, to: width, filter)
            out = try vertical(out, to: height, filter)
        }
        return out
    }

    /// Integer weights for resampling a side of `inSize` pixels to `outSize`:
    /// for output `i`, `count[i]` taps starting at input `start[i]`, weights
    /// at `weights[i · taps ..< i · taps + count[i]]`.
    struct Coefficients {
        var taps: Int
        var start: [Int]
        var count: [Int]
        var weights: [Int]

        init(inSize: Int, outSize: Int, filter: Filter) {
            // Pillow's box is (0, 0, w, h) in Float: in0 = 0, in1 − in0 = inSize exactly.
            let scale = Double(inSize) / Double(outSize)
            let filterScale = Swift.max(scale, 1.0)
            let support = filter.support * filterScale
            taps = Int(support.rounded(.up)) * 2 + 1
            start = [Int](repeating: 0, count: outSize)
            count = [Int](repeating: 0, count: outSize)
            weights = [Int](repeating: 0, count: outSize * taps)
            let inverseScale = 1.0 / filterScale
            let one = Double(1 << PillowResample.precisionBits)
            var k = [Double](repeating: 0, count: taps)
            for i in 0..<outSize {
                let center = (Double(i) + 0.5) * scale
                // C's (int) cast truncates toward zero, as Int(_:) does.
                let xmin = Swift.max(0, Int(center - support + 0.5))
                let xmax = Swift.min(inSize, Int(center + support + 0.5)) - xmin
                var sum = 0.0
                for x in 0..<xmax {
                    let w = filter.kernel((Double(x + xmin) - center + 0.5) * inverseScale)
                    k[x] = w
                    sum += w
                }
                if sum != 0 {
                    for x in 0..<xmax { k[x] /= sum }
                }
                for x in 0..<xmax {
                    weights[i * taps + x] = k[x] < 0 ? Int(-0.5 + k[x] * one) : Int(0.5 + k[x] * one)
                }
                start[i] = xmin
                count[i] = Swift.max(0, xmax)
            }
        }
    }

    /// Pillow's `clip8`: the sum shifted right by the precision (floor), clipped to a byte.
    @inline(__always)
    static func clip8(_ sum: Int) -> UInt8 { UInt8(clamping: sum >> precisionBits) }

    static let half = 1 << (precisionBits - 1)

    private static func horizontal(_ image: ByteImage, to width: Int, _ filter: Filter) throws(VisionError) -> ByteImage {
        if width == image.width { return image }
        let c = Coefficients(inSize: image.width, outSize: width, filter: filter)
        let h = image.height, inW = image.width
        var out = [UInt8](repeating: 0, count: image.channels * h * width)
        image.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<image.channels * h {
                    let inRow = row * inW, outRow = row * width
                    for x in 0..<width {
                        let s = inRow + c.start[x], k = x * c.taps
                        var sum = half
                        for j in 0..<c.count[x] { sum += Int(src[s + j]) * c.weights[k + j] }
                        dst[outRow + x] = clip8(sum)
                    }
                }
            }
        }
        return try ByteImage(width: width, height: h, channels: image.channels, bytes: out)
    }

    private static func vertical(_ image: ByteImage, to height: Int, _ filter: Filter) throws(VisionError) -> ByteImage {
        if height == image.height { return image }
        let c = Coefficients(inSize: image.height, outSize: height, filter: filter)
        let w = image.width, inPlane = image.width * image.height
        var out = [UInt8](repeating: 0, count: image.channels * height * w)
        image.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for ch in 0..<image.channels {
                    for y in 0..<height {
                        let k = y * c.taps, first = ch * inPlane + c.start[y] * w
                        let outRow = (ch * height + y) * w
                        for x in 0..<w {
                            var sum = half
                            for j in 0..<c.count[y] { sum += Int(src[first + j * w + x]) * c.weights[k + j] }
                            dst[outRow + x] = clip8(sum)
                        }
                    }
                }
            }
        }
        return try ByteImage(width: w, height: height, channels: image.channels, bytes: out)
    }
}
