import DVSTensor

/// An 8-bit image: what a PNG file holds and what Pillow works on. Planar
/// like `Image` (channel, row, column), values 0…255.
///
/// DVS computes on `Image` (Float32 in [0, 1]); code that must reproduce a
/// Python pipeline bit for bit (Pillow's resize inside Hugging Face image
/// processors) converts to `ByteImage` first, the way saving to PNG does.
public struct ByteImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// `channels × height × width` bytes, channel-major, rows top to bottom.
    public var bytes: [UInt8]

    public init(width: Int, height: Int, channels: Int, bytes: [UInt8]) throws(VisionError) {
        try Image.validate(width: width, height: height, channels: channels, values: bytes.count)
        (self.width, self.height, self.channels, self.bytes) = (width, height, channels, bytes)
    }

    /// `image` quantized to 8 bits exactly as `save` writes a PNG:
    /// round(v · 255), clamped to 0…255, NaN → 0. An image loaded from an
    /// 8-bit PNG comes back to the file's bytes.
    public init(_ image: Image) {
        width = image.width
        height = image.height
        channels = image.channels
        bytes = image.pixels.map(ByteImage.quantize)
    }

    /// One value in [0, 1] as a byte: round(v · 255), clamped; NaN fails both
    /// comparisons and becomes 0.
    @inline(__always)
    public static func quantize(_ v: Float) -> UInt8 {
        v > 0 ? (v < 1 ? UInt8((v * 255).rounded()) : 255) : 0
    }

    /// The image with values byte / 255.
    public func image() throws(VisionError) -> Image {
        try Image(width: width, height: height, channels: channels, pixels: bytes.map { Float($0) / 255 })
    }

    /// The image as an 8-bit PNG (gray, RGB or RGBA by channel count), its
    /// bytes unchanged.
    public func pngData() throws(VisionError) -> [UInt8] {
        let pixelCount = width * height
        var samples = [UInt8](repeating: 0, count: pixelCount * channels)
        for c in 0..<channels {
            for i in 0..<pixelCount { samples[i * channels + c] = bytes[c * pixelCount + i] }
        }
        return try Image.encodePNG(samples, width: width, height: height, channels: channels)
    }

    /// The `width × height` bytes of channel `c`.
    public func plane(_ c: Int) -> ArraySlice<UInt8> {
        bytes[(c * width * height)..<((c + 1) * width * height)]
    }
}
