import DVSTensor

/// Qwen2-VL's image grid: how Hugging Face transformers' Qwen2-VL image
/// processor (`Qwen2VLImageProcessorPil`, `image_processing_pil_qwen2_vl.py`)
/// turns one still image into `pixel_values` and `image_grid_thw`, and where
/// each of the model's image tokens lies (docs/INTEROP.md, "Qwen2-VL image grids").
///
/// **Geometry.** The source image (`sourceWidth × sourceHeight`) is resized
/// to the size `SmartResize` picks, a multiple of `patch · merge` (28) per
/// side, so the resized image is cut into 14-px patches without padding.
/// `grid` is the `PatchGrid` of the resized image: its visual tokens (2×2
/// merged patches, 28×28 px) are in the model's image-token order — row-major
/// over the merged grid, exactly the order of the `<|image_pad|>` tokens —
/// and `grid.mergeOrder` is the order of the rows of `pixel_values`. Regions
/// are in resized-image pixels; `resizedBox` and `sourceBox` map boxes
/// between the two images (each side by its own factor).
///
/// **Time.** A still image is one temporal patch: its frame is repeated
/// `temporalPatch` (2) times, so `gridTHW` is `[1, h, w]` (in patches) and
/// there are `h · w / merge²` image tokens.
public struct Qwen2VLGrid: Equatable, Sendable {
    /// The processor's settings (Hugging Face's defaults).
    public struct Settings: Equatable, Sendable {
        public var minPixels = 56 * 56
        public var maxPixels = 28 * 28 * 1280
        public let patch = 14
        public let merge = 2
        public let temporalPatch = 2
        /// CLIP's normalization (transformers' `OPENAI_CLIP_MEAN` / `OPENAI_CLIP_STD`), per RGB channel,
        /// as transformers writes them (the values DVS computes with are their Floats).
        public static let clipMean = [0.48145466, 0.4578275, 0.40821073]
        public static let clipStd = [0.26862954, 0.26130258, 0.27577711]
        public let mean: [Float] = clipMean.map(Float.init)
        public let std: [Float] = clipStd.map(Float.init)

        /// The largest `maxPixels` accepted: 16384 image tokens, what Qwen2-VL's
        /// released processor configs allow (a guard against absurd resizes).
        public static let pixelLimit = 28 * 28 * 16384

        public init(minPixels: Int = 56 * 56, maxPixels: Int = 28 * 28 * 1280) {
            self.minPixels = minPixels
            self.maxPixels = maxPixels
        }
    }

    public let settings: Settings
    /// Size of the image given to the processor.
    public let sourceWidth: Int
    public let sourceHeight: Int
    /// The patch grid of the resized RGB image (no padding: its sides are multiples of 28).
    public let grid: PatchGrid

    public var resizedWidth: Int { grid.imageWidth }
    public var resizedHeight: Int { grid.imageHeight }
    /// `[t, h, w]` in patches: `image_grid_thw`'s row for this image.
    public var gridTHW: [Int] { [1, grid.patchRows, grid.patchCols] }
    /// Number of `<|image_pad|>` tokens (`t · h · w / merge²`).
    public var imageTokens: Int { grid.tokenCount }
    /// Values in one row of `pixel_values`: channels · temporal patch · patch² (3 · 2 · 14 · 14 = 1176).
    public var patchLength: Int { 3 * settings.temporalPatch * settings.patch * settings.patch }
    /// Horizontal and vertical resize factors (resized / source).
    public var scaleX: Double { Double(resizedWidth) / Double(sourceWidth) }
    public var scaleY: Double { Double(resizedHeight) / Double(sourceHeight) }

    /// The grid for a source image of this size; errors as `SmartResize`, and
    /// for `maxPixels` over `Settings.pixelLimit`.
    public init(sourceWidth: Int, sourceHeight: Int, settings: Settings = Settings()) throws(VisionError) {
        guard settings.maxPixels <= Settings.pixelLimit else {
            throw VisionError(
                "qwen2vl_grid: max_pixels \(settings.maxPixels) is over \(Settings.pixelLimit) (16384 image tokens of 28×28 pixels, the most Qwen2-VL's processor configs use)"
            )
        }
        let size = try SmartResize.size(
            height: sourceHeight, width: sourceWidth, factor: settings.patch * settings.merge,
            minPixels: settings.minPixels, maxPixels: settings.maxPixels)
        self.settings = settings
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.grid = try PatchGrid(
            imageWidth: size.width, imageHeight: size.height, channels: 3,
            patch: settings.patch, merge: settings.merge)
    }

    /// A box of the source image in resized-image pixels (x and w scaled by
    /// `scaleX`, y and h by `scaleY`; text, confidence and level kept).
    public func resizedBox(_ b: Box) -> Box { scaled(b, scaleX, scaleY) }

    /// A box of the resized image in source-image pixels.
    public func sourceBox(_ b: Box) -> Box { scaled(b, 1 / scaleX, 1 / scaleY) }

    private func scaled(_ b: Box, _ sx: Double, _ sy: Double) -> Box {
        Box(x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy, text: b.text, confidence: b.confidence, level: b.level)
    }

    /// The source image as the processor resizes it: converted to 8-bit RGB
    /// (values quantized as a PNG stores them; gray copied to three channels;
    /// alpha composited over white) and resized bicubically with Pillow's
    /// arithmetic. Its size must be the source size.
    public func resized(_ image: Image) throws(VisionError) -> ByteImage {
        guard image.width == sourceWidth, image.height == sourceHeight else {
            throw VisionError("qwen2vl_grid: the image is \(image.width)×\(image.height) but the grid is for \(sourceWidth)×\(sourceHeight) (width×height)")
        }
        // Channels never mix in the resize, so a gray image is resized once and then copied.
        let source = ByteImage(image)
        if source.channels == 1 {
            return try PillowResample.resize(source, width: resizedWidth, height: resizedHeight).rgbOverWhite()
        }
        return try PillowResample.resize(try source.rgbOverWhite(), width: resizedWidth, height: resizedHeight)
    }

    /// `pixel_values` for the resized image (`resized(_:)`'s result): a tensor
    /// `[h · w, 1176]` whose rows are the patches in `grid.mergeOrder` (2×2
    /// merge groups consecutive), each flattened (channel, time, row, column)
    /// with the frame repeated over time. Values are `(byte · (1/255) − mean) /
    /// std` per channel: the rescale in Double, rounded to Float, the
    /// normalization in Float, as NumPy does in the reference.
    public func pixelValues(_ resized: ByteImage) throws(VisionError) -> Tensor {
        guard resized.width == resizedWidth, resized.height == resizedHeight, resized.channels == 3 else {
            throw VisionError(
                "pixel_values: the image is \(resized.width)×\(resized.height)×\(resized.channels) but the grid needs the resized \(resizedWidth)×\(resizedHeight)×3"
            )
        }
        let p = settings.patch, t = settings.temporalPatch, w = resizedWidth, plane = w * resizedHeight
        // Every byte value's normalized Float, per channel.
        let rescale = 1.0 / 255.0
        let table: [[Float]] = (0..<3).map { c in
            (0..<256).map { v in (Float(Double(v) * rescale) - settings.mean[c]) / settings.std[c] }
        }
        let order = grid.mergeOrder, cols = grid.patchCols, length = patchLength
        try tensorWork { () throws(TensorError) in
            try ensureAllocatable(bytes: order.count * length * MemoryLayout<Float>.stride, for: "pixel_values")
        }
        var out = [Float](repeating: 0, count: order.count * length)
        resized.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (row, patch) in order.enumerated() {
                    let y0 = patch / cols * p, x0 = patch % cols * p
                    var d = row * length
                    for c in 0..<3 {
                        let lookup = table[c]
                        for _ in 0..<t {
                            for py in 0..<p {
                                let s = c * plane + (y0 + py) * w + x0
                                for px in 0..<p { dst[d + px] = lookup[Int(src[s + px])] }
                                d += p
                            }
                        }
                    }
                }
            }
        }
        return try tensorWork { () throws(TensorError) in try Tensor(shape: [order.count, length], values: out) }
    }
}
