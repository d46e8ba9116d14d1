import DVSTensor

/// Operations on pixel values: invert, grayscale, channel conversion,
/// min-max normalization and contrast. Geometry (crop, pad, resize, stack) is in
/// ImageGeometry.swift, filters (blur, noise) in ImageFilters.swift.
///
/// Conventions shared by all image operations:
/// - They return a new image; the receiver is unchanged.
/// - Alpha is not a color: operations on values (invert, contrast, normalize,
///   noise) leave the alpha plane of an RGBA image as it is. Removing alpha
///   (grayscale, RGBA → RGB) composites onto white, as a viewer shows it.
/// - New pixels (padding, stacking) get the given value in every color channel
///   and alpha 1 (opaque).
/// - Bad arguments throw a `VisionError` that names the operation and what was
///   expected; results larger than `Image.maxSide` per side or `Image.maxPixels`
///   in all are refused before anything is allocated.
extension Image {
    /// The most pixels (width × height) a loaded or computed image may have,
    /// checked before any pixel memory is allocated. 2^26 pixels (an A4 page
    /// scanned at 600 dpi fits) as 4 Float32 channels is 1 GiB.
    public static let maxPixels = 1 << 26

    /// Why an image of this size is refused, or nil.
    static func sizeProblem(width: Int, height: Int) -> String? {
        if width < 1 || height < 1 || width > maxSide || height > maxSide {
            return "each side must be 1…\(maxSide)"
        }
        if width * height > maxPixels {
            return "\(width * height) pixels, more than the limit of \(maxPixels)"
        }
        return nil
    }

    /// Color channels: all but alpha.
    var colorChannels: Int { channels == 4 ? 3 : channels }

    /// Throws when an operation's result would be too large (or empty).
    static func checkResultSize(_ op: String, width: Int, height: Int) throws(VisionError) {
        if let problem = sizeProblem(width: width, height: height) {
            throw VisionError("\(op): the result would be \(width)×\(height) pixels: \(problem)")
        }
    }

    /// Applies `transform` to every color value (alpha untouched).
    func mappingColors(_ transform: (Float) -> Float) -> Image {
        var out = self
        let count = colorChannels * width * height
        out.pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<count { p[i] = transform(p[i]) }
        }
        return out
    }

    /// 1 − v for every color value; alpha is kept. Turns dark text on a light
    /// scan into the ink = 1, background = 0 convention of text pages.
    public func inverted() -> Image {
        mappingColors { 1 - $0 }
    }

    /// One gray channel: Rec. 601 luma 0.299 R + 0.587 G + 0.114 B. RGBA is first
    /// composited onto white (c·a + 1 − a), so a transparent background reads
    /// as white paper. A gray image is returned as it is.
    public func grayscale() -> Image {
        if channels == 1 { return self }
        let n = width * height
        var gray = [Float](repeating: 0, count: n)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var r = p[i], g = p[n + i], b = p[2 * n + i]
                if channels == 4 {
                    let a = p[3 * n + i]
                    r = r * a + (1 - a)
                    g = g * a + (1 - a)
                    b = b * a + (1 - a)
                }
                gray[i] = 0.299 * r + 0.587 * g + 0.114 * b
            }
        }
        return try! Image(width: width, height: height, channels: 1, pixels: gray)  // same valid size
    }

    /// The image with 1, 3 or 4 channels: gray → RGB copies the gray plane,
    /// adding alpha makes every pixel opaque (1), RGBA → RGB composites onto
    /// white, and → gray is `grayscale()`.
    public func converted(channels target: Int) throws(VisionError) -> Image {
        guard [1, 3, 4].contains(target) else {
            throw VisionError("convert: channels must be 1, 3 or 4, got \(target)")
        }
        if target == channels { return self }
        if target == 1 { return grayscale() }
        let n = width * height
        var out = [Float](repeating: 1, count: target * n)  // a new alpha plane stays 1
        if channels == 1 {
            for c in 0..<3 { out.replaceSubrange(c * n..<(c + 1) * n, with: pixels) }
        } else if channels == 3 {  // → RGBA
            out.replaceSubrange(0..<3 * n, with: pixels)
        } else {  // RGBA → RGB over white
            pixels.withUnsafeBufferPointer { p in
                for c in 0..<3 {
                    for i in 0..<n { out[c * n + i] = p[c * n + i] * p[3 * n + i] + (1 - p[3 * n + i]) }
                }
            }
        }
        return try Image(width: width, height: height, channels: target, pixels: out)
    }

    /// Stretches the color values linearly so that the smallest becomes 0 and
    /// the largest 1 (one min and max over all color channels together, so hues
    /// keep their relation; alpha untouched). A constant image has nothing to
    /// stretch and is returned as it is. Mean/std standardization gives values
    /// outside [0, 1], which an `Image` cannot hold: do it on `tensor()`.
    public func normalized() -> Image {
        let count = colorChannels * width * height
        var low = Float.infinity, high = -Float.infinity
        for v in pixels[0..<count] {
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        guard high > low else { return self }
        let scale = 1 / (high - low)
        return mappingColors { Swift.min(1, Swift.max(0, ($0 - low) * scale)) }
    }

    /// Contrast around mid-gray: v ↦ 0.5 + factor · (v − 0.5), clamped to [0, 1]
    /// (alpha untouched). The pivot is the fixed 0.5, not the image mean, so the
    /// result does not depend on how much ink a page has; on ink = 1 /
    /// background = 0 pages 0.5 lies halfway between ink and background.
    /// factor 1 keeps the image, 0 makes it flat gray, > 1 raises contrast.
    public func contrast(factor: Float) throws(VisionError) -> Image {
        guard factor.isFinite, factor >= 0 else {
            throw VisionError("contrast: factor must be a finite number ≥ 0, got \(factor)")
        }
        return mappingColors { Swift.min(1, Swift.max(0, 0.5 + factor * ($0 - 0.5))) }
    }
}
