import DVSTensor

/// Drawing helpers for annotations (box outlines, filled and tinted boxes).
///
/// Boxes use `Box` coordinates (pixels, x right, y down, right/bottom
/// exclusive); each edge is rounded to the nearest whole pixel and the result
/// is clipped to the image, so a box partly or wholly outside the image is
/// fine. Colors are one value per channel or one value for all color channels
/// (see `Image.drawText(_:x:baseline:font:color:kerning:)`); values are not
/// clamped.
extension Image {
    /// The whole-pixel rectangle of a box, clipped to the image (nil when empty).
    func pixelRect(_ box: Box) -> Rect? {
        guard box.x.isFinite, box.y.isFinite, box.w.isFinite, box.h.isFinite else { return nil }
        let px = Image.pixelCoordinate
        let r = Rect(
            x0: Swift.max(0, px(box.x)), y0: Swift.max(0, px(box.y)),
            x1: Swift.min(width, px(box.x + box.w)), y1: Swift.min(height, px(box.y + box.h)))
        return r.isEmpty ? nil : r
    }

    /// A box coordinate as a pixel index, clamped just outside the largest
    /// image so that far-off boxes (1e300, 2^63) stay far off without overflowing `Int`.
    static func pixelCoordinate(_ v: Double) -> Int {
        Int(Swift.max(-1, Swift.min(Double(Image.maxSide + 1), v.rounded())))
    }

    /// Blends a rectangle toward `target` (per channel) with opacity `alpha`.
    mutating func blend(_ r: Rect, _ target: [Float], alpha: Float) {
        guard !r.isEmpty else { return }
        let w = width, plane = width * height
        pixels.withUnsafeMutableBufferPointer { px in
            for (c, t) in target.enumerated() {
                for y in r.y0..<r.y1 {
                    let row = c * plane + y * w
                    for x in r.x0..<r.x1 { px[row + x] += (t - px[row + x]) * alpha }
                }
            }
        }
    }

    /// Draws the outline of `box` with lines `thickness` pixels wide, inside
    /// the box (the outline covers the box's edge rows and columns; a box
    /// thinner than two lines is filled). Every channel is set to `value`.
    /// Thickness below 1 draws nothing.
    public mutating func drawBox(_ box: Box, value: Float = 1, thickness: Int = 1) {
        outline(box, Array(repeating: value, count: channels), thickness: thickness, alpha: 1)
    }

    /// Draws the outline of `box` in a color (one value per channel or one for
    /// all), blended with opacity `alpha` (1 = opaque).
    public mutating func drawBox(_ box: Box, color: [Float], thickness: Int = 1, alpha: Float = 1) throws(VisionError) {
        outline(box, try resolvedColor(color, op: "drawBox"), thickness: thickness, alpha: alpha)
    }

    /// Fills `box` with a color blended with opacity `alpha` (a tint when alpha < 1).
    public mutating func fillBox(_ box: Box, color: [Float], alpha: Float = 1) throws(VisionError) {
        let target = try resolvedColor(color, op: "fillBox")
        if let r = pixelRect(box) { blend(r, target, alpha: alpha) }
    }

    /// Fills `box` with `value` on every channel.
    public mutating func fillBox(_ box: Box, value: Float) {
        if let r = pixelRect(box) { blend(r, Array(repeating: value, count: channels), alpha: 1) }
    }

    private mutating func outline(_ box: Box, _ target: [Float], thickness t: Int, alpha: Float) {
        guard t >= 1, box.x.isFinite, box.y.isFinite, box.w.isFinite, box.h.isFinite else { return }
        // Edges are computed on the unclipped box so clipped parts stay clipped.
        let px = Image.pixelCoordinate
        let x0 = px(box.x), y0 = px(box.y), x1 = px(box.x + box.w), y1 = px(box.y + box.h)
        guard x1 > x0, y1 > y0 else { return }
        let clip = Rect(x0: 0, y0: 0, x1: width, y1: height)
        func part(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            let r = Rect(x0: Swift.max(a, clip.x0), y0: Swift.max(b, clip.y0), x1: Swift.min(c, clip.x1), y1: Swift.min(d, clip.y1))
            if !r.isEmpty { blend(r, target, alpha: alpha) }
        }
        if x1 - x0 <= 2 * t || y1 - y0 <= 2 * t {
            part(x0, y0, x1, y1)
            return
        }
        part(x0, y0, x1, y0 + t)  // top
        part(x0, y1 - t, x1, y1)  // bottom
        part(x0, y0 + t, x0 + t, y1 - t)  // left
        part(x1 - t, y0 + t, x1, y1 - t)  // right
    }

    /// Draws `text` fitted into `box`: the text starts `padding` pixels in from
    /// the box's left and top edges, characters that would cross the right edge
    /// (minus padding) are dropped and "…" marks the cut (when it fits), and
    /// nothing is drawn when the box is shorter than the font's ascent +
    /// descent. With `background`, a tight rectangle behind the drawn text
    /// (padding included, inside the box) is first blended toward that color
    /// with `backgroundAlpha`, for legibility over busy pixels. Returns what
    /// was drawn (nil when nothing fit).
    @discardableResult
    public mutating func drawLabel(
        _ text: String, in box: Box, font: Font, color: [Float], padding: Int = 1,
        background: [Float]? = nil, backgroundAlpha: Float = 0.75
    ) throws(VisionError) -> DrawnText? {
        let target = try resolvedColor(color, op: "drawLabel")
        let bg = try background.map { (c: [Float]) throws(VisionError) -> [Float] in try resolvedColor(c, op: "drawLabel") }
        guard box.w.isFinite, box.h.isFinite, box.x.isFinite, box.y.isFinite else { return nil }
        let px = Image.pixelCoordinate
        let x0 = px(box.x), y0 = px(box.y), x1 = px(box.x + box.w), y1 = px(box.y + box.h)
        guard y1 - y0 >= font.ascent + font.descent + padding, x1 - x0 > 2 * padding else { return nil }
        guard let fitted = try Image.fit(text, font: font, width: x1 - x0 - 2 * padding) else { return nil }
        let penX = x0 + padding, baseline = y0 + padding + font.ascent
        if let bg {
            let m = try font.measure(fitted)
            let r = Rect(
                x0: Swift.max(x0, penX - padding), y0: y0,
                x1: Swift.min(x1, penX + Swift.max(m.advance, Rect(m.lineBox).map { $0.x1 } ?? 0) + padding),
                y1: Swift.min(y1, baseline + font.descent + padding))
            let clipped = Rect(x0: Swift.max(0, r.x0), y0: Swift.max(0, r.y0), x1: Swift.min(width, r.x1), y1: Swift.min(height, r.y1))
            if !clipped.isEmpty { blend(clipped, bg, alpha: backgroundAlpha) }
        }
        return try drawText(fitted, x: penX, baseline: baseline, font: font, color: target)
    }

    /// The longest prefix of `text` (whole characters, with "…" appended when
    /// cut) whose pen advance and ink fit in `width` pixels; nil when not even
    /// one character fits. Characters the font lacks are replaced by "?".
    static func fit(_ text: String, font: Font, width: Int) throws(VisionError) -> String? {
        let clean = String(text.map { $0.isNewline ? " " : (font.hasGlyph($0) || $0.isWhitespace ? $0 : "?") })
        func fits(_ s: String) throws(VisionError) -> Bool {
            let m = try font.measure(s)
            let inkRight = Rect(m.lineBox).map { $0.x1 } ?? 0
            return Swift.max(m.advance, inkRight) <= width
        }
        if try fits(clean) { return clean.isEmpty ? nil : clean }
        let ellipsis = font.hasGlyph("…") ? "…" : "."
        var chars = Array(clean)
        while !chars.isEmpty {
            chars.removeLast()
            let s = String(chars)
            if try fits(s + ellipsis) { return s + ellipsis }
            if chars.count == 1, try fits(s) { return s }
        }
        return nil
    }
}
