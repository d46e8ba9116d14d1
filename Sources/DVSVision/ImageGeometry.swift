import DVSTensor

/// Geometry: crop, pad, bilinear resize, and side-by-side / stacked images.
extension Image {
    /// The region of columns x..<x+w and rows y..<y+h (the `Box` convention).
    /// The region must lie inside the image: a crop that silently shrank would
    /// shift every box measured on it, so out-of-bounds regions are an error
    /// (pad first to crop past an edge).
    public func crop(x: Int, y: Int, w: Int, h: Int) throws(VisionError) -> Image {
        guard w >= 1, h >= 1 else {
            throw VisionError("crop: width and height must be ≥ 1, got w=\(w) h=\(h)")
        }
        guard x >= 0, y >= 0, x <= width - w, y <= height - h else {
            throw VisionError(
                "crop: region x=\(x) y=\(y) w=\(w) h=\(h) is outside the \(width)×\(height) image (needs x ≥ 0, y ≥ 0, x + w ≤ \(width), y + h ≤ \(height))")
        }
        var out = [Float]()
        out.reserveCapacity(channels * w * h)
        for c in 0..<channels {
            for row in y..<y + h {
                let start = index(c, row, x)
                out += pixels[start..<start + w]
            }
        }
        return try Image(width: w, height: h, channels: channels, pixels: out)
    }

    /// Adds borders of the given widths, filled with `value` in every color
    /// channel (0 = background of a text page) and opaque alpha.
    public func pad(left: Int, top: Int, right: Int, bottom: Int, value: Float = 0) throws(VisionError) -> Image {
        guard left >= 0, top >= 0, right >= 0, bottom >= 0 else {
            throw VisionError("pad: borders must be ≥ 0, got left=\(left) top=\(top) right=\(right) bottom=\(bottom)")
        }
        try Image.checkFill("pad", value)
        // Sums checked one side at a time so huge arguments cannot overflow.
        guard left <= Image.maxSide, right <= Image.maxSide, top <= Image.maxSide, bottom <= Image.maxSide else {
            throw VisionError("pad: borders must be at most \(Image.maxSide), got left=\(left) top=\(top) right=\(right) bottom=\(bottom)")
        }
        let w = width + left + right, h = height + top + bottom
        try Image.checkResultSize("pad", width: w, height: h)
        var out = try Image(width: w, height: h, channels: channels, fill: value)
        if channels == 4 { out.fillPlane(3, with: 1) }
        out.paste(self, x: left, y: top)
        return out
    }

    /// Bilinear resampling to width × height with half-pixel centers, like
    /// OpenCV's INTER_LINEAR and PyTorch's `align_corners=False`: output pixel
    /// (i, j) samples the input at ((j + 0.5)·W/w − 0.5, (i + 0.5)·H/h − 0.5),
    /// clamped to the edge pixels. There is no antialiasing: when shrinking by
    /// more than 2×, blur first (`blurred`) or thin strokes may vanish.
    public func resized(width w: Int, height h: Int) throws(VisionError) -> Image {
        try Image.checkResultSize("resize", width: w, height: h)
        if w == width && h == height { return self }
        let xs = Image.bilinearTaps(from: width, to: w)
        let ys = Image.bilinearTaps(from: height, to: h)
        var out = [Float](repeating: 0, count: channels * w * h)
        pixels.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for c in 0..<channels {
                    let plane = c * width * height
                    for i in 0..<h {
                        let (y0, y1, fy) = ys[i]
                        let row0 = plane + y0 * width, row1 = plane + y1 * width
                        let outRow = (c * h + i) * w
                        for j in 0..<w {
                            let (x0, x1, fx) = xs[j]
                            let top = p[row0 + x0] + fx * (p[row0 + x1] - p[row0 + x0])
                            let bottom = p[row1 + x0] + fx * (p[row1 + x1] - p[row1 + x0])
                            o[outRow + j] = top + fy * (bottom - top)
                        }
                    }
                }
            }
        }
        return try Image(width: w, height: h, channels: channels, pixels: out)
    }

    /// For each output position: the two input positions and the weight of the second.
    static func bilinearTaps(from n: Int, to m: Int) -> [(Int, Int, Float)] {
        let scale = Double(n) / Double(m)
        return (0..<m).map { j in
            let source = Swift.min(Double(n - 1), Swift.max(0, (Double(j) + 0.5) * scale - 0.5))
            let lower = Int(source)  // source ≥ 0: truncation is floor
            return (lower, Swift.min(lower + 1, n - 1), Float(source - Double(lower)))
        }
    }

    /// Images side by side, left to right, top-aligned. All get the largest
    /// channel count among them (`converted(channels:)`); shorter images are
    /// padded below with `background` (opaque).
    public static func hstack(_ images: [Image], background: Float = 0) throws(VisionError) -> Image {
        try stack("hstack", images, background: background, horizontal: true)
    }

    /// Images one above the other, top to bottom, left-aligned. All get the
    /// largest channel count among them; narrower images are padded on the
    /// right with `background` (opaque).
    public static func vstack(_ images: [Image], background: Float = 0) throws(VisionError) -> Image {
        try stack("vstack", images, background: background, horizontal: false)
    }

    private static func stack(_ op: String, _ images: [Image], background: Float, horizontal: Bool) throws(VisionError) -> Image {
        guard !images.isEmpty else { throw VisionError("\(op): needs at least one image, got none") }
        try checkFill(op, background)
        let channels = images.map(\.channels).max()!
        // Summed with a cap so that many large images cannot overflow.
        var along = 0
        for image in images { along = Swift.min(along + (horizontal ? image.width : image.height), maxSide + 1) }
        let across = images.map { horizontal ? $0.height : $0.width }.max()!
        let (w, h) = horizontal ? (along, across) : (across, along)
        try checkResultSize(op, width: w, height: h)
        var out = try Image(width: w, height: h, channels: channels, fill: background)
        if channels == 4 { out.fillPlane(3, with: 1) }
        var offset = 0
        for image in images {
            let part = try image.converted(channels: channels)
            out.paste(part, x: horizontal ? offset : 0, y: horizontal ? 0 : offset)
            offset += horizontal ? part.width : part.height
        }
        return out
    }

    /// Throws unless a fill value is a number in [0, 1].
    static func checkFill(_ op: String, _ value: Float) throws(VisionError) {
        guard value >= 0, value <= 1 else {
            throw VisionError("\(op): fill value must be in [0, 1], got \(value)")
        }
    }

    /// Sets every value of channel `c`.
    mutating func fillPlane(_ c: Int, with value: Float) {
        let n = width * height
        pixels.replaceSubrange(c * n..<(c + 1) * n, with: repeatElement(value, count: n))
    }

    /// Copies `other` (same channel count, fits inside) with its top-left at (x, y).
    mutating func paste(_ other: Image, x: Int, y: Int) {
        for c in 0..<channels {
            for row in 0..<other.height {
                let from = other.index(c, row, 0), to = index(c, y + row, x)
                pixels.replaceSubrange(to..<to + other.width, with: other.pixels[from..<from + other.width])
            }
        }
    }
}
