/// One rendered glyph: an 8-bit anti-aliased coverage bitmap (FreeType's
/// `FT_RENDER_MODE_NORMAL`) placed relative to the pen on the baseline.
struct Glyph: Sendable {
    /// FreeType glyph index (0 is the font's "missing glyph").
    let index: UInt32
    /// Pen advance in 26.6 fixed point (whole pixels for hinted scalable fonts).
    let advance: Int
    /// Column of the bitmap's left edge relative to the pen (`bitmap_left`).
    let left: Int
    /// Rows of the bitmap above the baseline (`bitmap_top`): its first row is at `baseline - top`.
    let top: Int
    let width: Int
    let rows: Int
    /// `rows × width` coverage values, 0 (none) … 255 (full), rows top to bottom.
    let coverage: [UInt8]
    /// The tight rectangle of non-zero coverage in bitmap coordinates
    /// (right/bottom exclusive), or nil when the glyph has no ink (e.g. space).
    let ink: (x0: Int, y0: Int, x1: Int, y1: Int)?

    init(index: UInt32, advance: Int, left: Int, top: Int, width: Int, rows: Int, coverage: [UInt8]) {
        self.index = index
        self.advance = advance
        self.left = left
        self.top = top
        self.width = width
        self.rows = rows
        self.coverage = coverage
        var x0 = Int.max, y0 = Int.max, x1 = Int.min, y1 = Int.min
        for y in 0..<rows {
            let row = y * width
            for x in 0..<width where coverage[row + x] != 0 {
                x0 = Swift.min(x0, x)
                x1 = Swift.max(x1, x + 1)
                y0 = Swift.min(y0, y)
                y1 = Swift.max(y1, y + 1)
            }
        }
        ink = x0 == Int.max ? nil : (x0, y0, x1, y1)
    }
}
