import DVSTensor

/// The DV-SFT overlay: an image with its visual-token grid and each token's
/// label written in its cell, for looking at what the labeler did.
///
/// Independent of the labeler's types: pass the region of every visual token
/// (a `Box` each, in token order — row-major for a patch grid) and one label
/// per token (`nil` = unlabeled, i.e. the ignore label).
///
///     let rgb = try Overlay.draw(page.image, regions: grid.regions, labels: words)
///
/// What is drawn, in order, on an RGB copy enlarged `scale` times (nearest
/// neighbour, so one image pixel is a `scale × scale` block):
/// 1. the image: gray pages (ink 1 on 0) are shown dark on white (`1 − v`, see
///    `Style.darkInk`); RGB is kept; RGBA is composited over white;
/// 2. unlabeled cells tinted (`unlabeledTint`, `unlabeledAlpha`);
/// 3. optional word boxes (`words`, e.g. ground truth or OCR) outlined;
/// 4. grid lines: each cell's top row and left column, and the bottom row /
///    right column where no other cell starts;
/// 5. each label in its cell's top-left corner in a small font (default
///    DejaVu Sans 10 px) on a light chip, cut with "…" to fit the cell; labels
///    are skipped in cells too short for the font.
public enum Overlay {
    public struct Style: Sendable {
        /// Enlargement factor (1…16); 2 makes 10 px labels readable in 28 px cells.
        public var scale = 2
        /// Label font: a family ("DejaVu Sans"), "Family Style" or a file path.
        public var font = "DejaVu Sans"
        /// Label font size in output pixels.
        public var fontSize = 10
        public var gridColor: [Float] = [0.85, 0.2, 0.15]
        public var gridAlpha: Float = 0.75
        public var labelColor: [Float] = [0.0, 0.2, 0.75]
        /// Chip behind each label (nil: none).
        public var labelBackground: [Float]? = [1, 1, 0.8]
        public var labelBackgroundAlpha: Float = 0.6
        public var unlabeledTint: [Float] = [0.5, 0.5, 0.5]
        public var unlabeledAlpha: Float = 0.45
        public var wordBoxColor: [Float] = [0.1, 0.6, 0.2]
        /// Show gray images as `1 − v` (ink dark on white). Ignored for RGB/RGBA.
        public var darkInk = true

        public init() {}
    }

    /// Draws the grid, the tint of unlabeled cells and the labels; returns an RGB image
    /// `scale` times the input's size. `regions` and `labels` must have the same count.
    public static func draw(_ image: Image, regions: [Box], labels: [String?], words: [Box] = [], style: Style = Style()) throws(VisionError) -> Image {
        guard regions.count == labels.count else {
            throw VisionError("overlay: \(regions.count) regions but \(labels.count) labels; give one label (or nil) per region")
        }
        let s = style.scale
        var out = try displayRGB(image, darkInk: style.darkInk, scale: s)
        func scaled(_ b: Box) -> Box {
            Box(x: b.x * Double(s), y: b.y * Double(s), w: b.w * Double(s), h: b.h * Double(s), text: b.text, confidence: b.confidence, level: b.level)
        }
        let cells = regions.map(scaled)

        for (cell, label) in zip(cells, labels) where label == nil {
            try out.fillBox(cell, color: style.unlabeledTint, alpha: style.unlabeledAlpha)
        }
        for w in words {
            try out.drawBox(scaled(w), color: style.wordBoxColor, thickness: 1, alpha: 0.9)
        }
        // Grid: top/left edges of every cell; bottom/right edges where no cell continues.
        let x0s = Set(cells.map { Int($0.x.rounded()) }), y0s = Set(cells.map { Int($0.y.rounded()) })
        for c in cells where c.w > 0 && c.h > 0 {
            let x0 = c.x.rounded(), y0 = c.y.rounded(), x1 = (c.x + c.w).rounded(), y1 = (c.y + c.h).rounded()
            try out.fillBox(Box(x: x0, y: y0, w: x1 - x0, h: 1), color: style.gridColor, alpha: style.gridAlpha)
            try out.fillBox(Box(x: x0, y: y0 + 1, w: 1, h: y1 - y0 - 1), color: style.gridColor, alpha: style.gridAlpha)
            if !y0s.contains(Int(y1)) {
                try out.fillBox(Box(x: x0, y: y1 - 1, w: x1 - x0, h: 1), color: style.gridColor, alpha: style.gridAlpha)
            }
            if !x0s.contains(Int(x1)) {
                try out.fillBox(Box(x: x1 - 1, y: y0 + 1, w: 1, h: y1 - y0 - 1), color: style.gridColor, alpha: style.gridAlpha)
            }
        }
        // Labels, inside the grid lines.
        let font = try Font.load(style.font, size: style.fontSize)
        for (cell, label) in zip(cells, labels) {
            guard let label, !label.isEmpty, cell.w > 2, cell.h > 2 else { continue }
            let inner = Box(x: cell.x.rounded() + 1, y: cell.y.rounded() + 1, w: cell.w.rounded() - 2, h: cell.h.rounded() - 2)
            try out.drawLabel(
                label, in: inner, font: font, color: style.labelColor, padding: 1,
                background: style.labelBackground, backgroundAlpha: style.labelBackgroundAlpha)
        }
        return out
    }

    /// An RGB copy for display, enlarged `scale` times (nearest neighbour):
    /// gray is shown as `1 − v` when `darkInk` (ink 1 on 0 becomes dark on
    /// white) or as is; RGB is copied; RGBA is composited over white.
    public static func displayRGB(_ image: Image, darkInk: Bool = true, scale: Int = 1) throws(VisionError) -> Image {
        guard scale >= 1, scale <= 16 else { throw VisionError("overlay: scale must be 1…16, got \(scale)") }
        let w = image.width, h = image.height
        var out = try Image(width: w * scale, height: h * scale, channels: 3)
        let ow = out.width, oplane = out.width * out.height, plane = w * h
        let src = image.pixels, ch = image.channels
        out.pixels.withUnsafeMutableBufferPointer { px in
            for y in 0..<h {
                for x in 0..<w {
                    var rgb: (Float, Float, Float)
                    let i = y * w + x
                    switch ch {
                    case 1:
                        let v = darkInk ? 1 - src[i] : src[i]
                        rgb = (v, v, v)
                    case 3:
                        rgb = (src[i], src[plane + i], src[2 * plane + i])
                    default:
                        let a = src[3 * plane + i]
                        rgb = (src[i] * a + 1 - a, src[plane + i] * a + 1 - a, src[2 * plane + i] * a + 1 - a)
                    }
                    for dy in 0..<scale {
                        let row = (y * scale + dy) * ow + x * scale
                        for dx in 0..<scale {
                            px[row + dx] = rgb.0
                            px[oplane + row + dx] = rgb.1
                            px[2 * oplane + row + dx] = rgb.2
                        }
                    }
                }
            }
        }
        return out
    }
}
