import DVSTensor

/// A raster image: 1 (gray), 3 (RGB) or 4 (RGBA) channels of Float32 in [0, 1],
/// stored planar (channel, row, column). Text pages use gray with ink = 1 and
/// background = 0 (DESIGN.md §8); `inverted()` converts dark-on-light scans.
public struct Image: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// `channels × height × width` values, channel-major, rows top to bottom.
    public var pixels: [Float]

    /// The largest side accepted (a guard against absurd sizes from files or arguments).
    public static let maxSide = 32_768

    public init(width: Int, height: Int, channels: Int = 1, fill: Float = 0) throws(VisionError) {
        try Image.validate(width: width, height: height, channels: channels)
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = [Float](repeating: fill, count: width * height * channels)
    }

    public init(width: Int, height: Int, channels: Int, pixels: [Float]) throws(VisionError) {
        try Image.validate(width: width, height: height, channels: channels, values: pixels.count)
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Checks a size and channel count (and, when given, that `values` fill
    /// them) and that an image of that size can be allocated.
    static func validate(width: Int, height: Int, channels: Int, values: Int? = nil) throws(VisionError) {
        guard [1, 3, 4].contains(channels) else { throw VisionError("image: channels must be 1, 3 or 4, got \(channels)") }
        guard width > 0, height > 0, width <= maxSide, height <= maxSide else {
            throw VisionError("image: size \(width)×\(height) is outside 1…\(maxSide) pixels per side")
        }
        if let values, values != width * height * channels {
            throw VisionError("image: \(values) values do not fill \(width)×\(height)×\(channels)")
        }
        try tensorWork { () throws(TensorError) in
            try ensureAllocatable(
                bytes: width * height * channels * MemoryLayout<Float>.stride,
                for: "an image of \(width)×\(height)×\(channels)")
        }
    }

    /// Index of (channel, y, x) in `pixels`.
    @inline(__always)
    public func index(_ c: Int, _ y: Int, _ x: Int) -> Int { (c * height + y) * width + x }

    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { pixels[index(c, y, x)] }
        set { pixels[index(c, y, x)] = newValue }
    }

    /// The image as a tensor [channels, height, width].
    public func tensor() -> Tensor {
        try! Tensor(shape: [channels, height, width], values: pixels)  // sizes were validated at construction
    }

    /// An image from a tensor [H, W] (gray) or [C, H, W] with C in 1, 3, 4; values are clamped to [0, 1].
    public init(tensor t: Tensor) throws(VisionError) {
        let shape = t.shape
        let (c, h, w): (Int, Int, Int)
        switch shape.count {
        case 2: (c, h, w) = (1, shape[0], shape[1])
        case 3: (c, h, w) = (shape[0], shape[1], shape[2])
        default: throw VisionError("image: needs a tensor [H, W] or [C, H, W], got \(shapeText(shape))")
        }
        try self.init(
            width: w, height: h, channels: c,
            pixels: tensorWork { () throws(TensorError) in try t.toArray() }.map { $0.isNaN ? 0 : Swift.min(1, Swift.max(0, $0)) })
    }
}
