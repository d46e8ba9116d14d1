import DVSTensor

extension Image {
    /// Draws one line of text with its pen starting at column `x` and glyphs
    /// sitting on row `baseline`, and returns the exact word and character
    /// boxes of what was drawn (see `DrawnText` for the box rules).
    ///
    /// Glyphs are anti-aliased; each covered pixel is alpha-blended toward
    /// `ink`: `p = p + (ink - p) · coverage`, on every channel (for RGBA, the
    /// alpha channel is blended toward 1). With the defaults, text on a blank
    /// gray image is ink 1 on background 0 (DESIGN.md §8). Text may run off the
    /// image; it is clipped and so are its boxes. Kerning is applied when the
    /// font has it (pass `kerning: false` to disable).
    ///
    /// Errors: line breaks in `text` (draw lines separately), characters the
    /// font has no glyph for (no silent "tofu" boxes).
    @discardableResult
    public mutating func drawText(_ text: String, x: Int, baseline: Int, font: Font, ink: Float = 1, kerning: Bool = true) throws(VisionError) -> DrawnText {
        try drawText(text, x: x, baseline: baseline, font: font, color: [ink], kerning: kerning)
    }

    /// Like `drawText(_:x:baseline:font:ink:kerning:)` with `top` the row of
    /// the font's ascender line: the baseline is `top + font.ascent` (ink of
    /// most glyphs starts a little below `top`).
    @discardableResult
    public mutating func drawText(_ text: String, x: Int, top: Int, font: Font, ink: Float = 1, kerning: Bool = true) throws(VisionError) -> DrawnText {
        try drawText(text, x: x, baseline: top + font.ascent, font: font, color: [ink], kerning: kerning)
    }

    /// Draws text in a color: one value per channel, or one value for all
    /// color channels (for RGBA images 1 or 3 values also work; alpha is then
    /// blended toward 1).
    @discardableResult
    public mutating func drawText(_ text: String, x: Int, baseline: Int, font: Font, color: [Float], kerning: Bool = true) throws(VisionError) -> DrawnText {
        let target = try resolvedColor(color, op: "drawText")
        let laid = try font.layOut(text, kerning: kerning)
        let clip = Rect(x0: 0, y0: 0, x1: width, y1: height)
        let w = width, h = height, plane = width * height
        pixels.withUnsafeMutableBufferPointer { px in
            for c in laid.chars {
                for p in c.glyphs {
                    let g = p.glyph
                    guard let ink = g.ink else { continue }
                    let bx = x + p.penX + g.left, by = baseline - g.top
                    let x0 = Swift.max(bx + ink.x0, 0), x1 = Swift.min(bx + ink.x1, w)
                    let y0 = Swift.max(by + ink.y0, 0), y1 = Swift.min(by + ink.y1, h)
                    guard x0 < x1, y0 < y1 else { continue }
                    for py in y0..<y1 {
                        let grow = (py - by) * g.width - bx
                        for pxl in x0..<x1 {
                            let cov = g.coverage[grow + pxl]
                            guard cov != 0 else { continue }
                            let a = Float(cov) * (1 / 255)
                            var i = py * w + pxl
                            for t in target {
                                px[i] += (t - px[i]) * a
                                i += plane
                            }
                        }
                    }
                }
            }
        }
        return laid.result(x: x, baseline: baseline, clip: clip)
    }

    /// Per-channel target values for a color given as 1 value, 3 values (RGB
    /// or RGBA images) or one per channel; RGBA alpha not given is 1.
    func resolvedColor(_ color: [Float], op: String) throws(VisionError) -> [Float] {
        if color.count == channels { return color }
        switch (color.count, channels) {
        case (1, 3): return [color[0], color[0], color[0]]
        case (1, 4): return [color[0], color[0], color[0], 1]
        case (3, 4): return color + [1]
        default:
            throw VisionError("\(op): a color needs 1 value or \(channels) (one per channel), got \(color.count) for a \(channels)-channel image")
        }
    }
}
