import DVSTensor

/// Text laid out on one baseline, with exact ink boxes: what `Image.drawText`
/// drew (boxes clipped to the image) or what `Font.measure` would draw.
///
/// Coordinates are pixels, origin at the image's top-left, x to the right, y
/// down; `baseline` is the row the glyphs sit on (the bottom of "x" is the row
/// just above it). Box rules (see `Box`: right/bottom exclusive):
/// - A box is the tight bounding box of the pixels whose glyph coverage is
///   non-zero: every such pixel of a word lies inside the word's box and each
///   edge row/column of the box contains at least one such pixel. With the
///   default ink 1 on a 0 background those are exactly the pixels > 0 that the
///   word changed.
/// - Words are maximal runs of non-whitespace characters. Whitespace has no box.
/// - Every non-whitespace `Character` (grapheme cluster) of a word gets one
///   character box (level "char"); a word box (level "word") is the union of
///   its character boxes; `lineBox` (level "line") is the union of the words.
/// - A character or word without ink (an invisible character, or drawn
///   entirely outside the image) gets an empty box: w = h = 0 at (pen x,
///   baseline). Check `w > 0` before using such a box.
/// - `Image.drawText` clips boxes to the image (they describe the pixels that
///   were drawn); `Font.measure` does not clip.
/// Boxes carry the text they hold and confidence 100.
public struct DrawnText: Equatable, Sendable {
    public struct Word: Equatable, Sendable {
        public var text: String
        /// Level "word".
        public var box: Box
        /// Level "char", one per character of the word, in order.
        public var characters: [Box]
        /// Pen x where the word starts (its first glyph's origin).
        public var penX: Int
        /// Pen advance across the word, in pixels (kerning included).
        public var advance: Int
    }

    public var text: String
    /// Pen x where the text starts.
    public var x: Int
    /// The baseline row.
    public var baseline: Int
    /// Pen advance across the whole text, in pixels: the next text would start at `x + advance`.
    public var advance: Int
    public var words: [Word]

    /// The word boxes, in order.
    public var wordBoxes: [Box] { words.map(\.box) }
    /// The character boxes of all words, in order.
    public var characterBoxes: [Box] { words.flatMap(\.characters) }
    /// Whether any pixel got ink.
    public var hasInk: Bool { words.contains { $0.box.w > 0 } }

    /// The union of the word boxes (level "line", text = the words joined by
    /// single spaces); empty (w = h = 0 at (x, baseline)) when nothing has ink.
    public var lineBox: Box {
        let text = words.map(\.text).joined(separator: " ")
        guard let b = Rect.union(words.map(\.box)) else {
            return Box(x: Double(x), y: Double(baseline), w: 0, h: 0, text: text, confidence: 100, level: "line")
        }
        return b.box(text: text, level: "line")
    }
}

/// An integer pixel rectangle, right/bottom exclusive (internal helper).
struct Rect: Equatable {
    var x0: Int, y0: Int, x1: Int, y1: Int

    var isEmpty: Bool { x1 <= x0 || y1 <= y0 }

    mutating func formUnion(_ r: Rect) {
        x0 = Swift.min(x0, r.x0); y0 = Swift.min(y0, r.y0)
        x1 = Swift.max(x1, r.x1); y1 = Swift.max(y1, r.y1)
    }

    func box(text: String, level: String) -> Box {
        Box(x: Double(x0), y: Double(y0), w: Double(x1 - x0), h: Double(y1 - y0), text: text, confidence: 100, level: level)
    }

    init(x0: Int, y0: Int, x1: Int, y1: Int) { (self.x0, self.y0, self.x1, self.y1) = (x0, y0, x1, y1) }

    /// The integer rectangle of a box with positive size (exact for boxes made here).
    init?(_ b: Box) {
        guard b.w > 0, b.h > 0 else { return nil }
        self.init(x0: Int(b.x.rounded()), y0: Int(b.y.rounded()), x1: Int((b.x + b.w).rounded()), y1: Int((b.y + b.h).rounded()))
    }

    /// The union of the non-empty boxes, nil when there is none.
    static func union(_ boxes: [Box]) -> Rect? {
        var out: Rect?
        for b in boxes {
            guard let r = Rect(b) else { continue }
            if out == nil { out = r } else { out!.formUnion(r) }
        }
        return out
    }
}

/// Glyphs of a text placed on a baseline at pen origin 0 (internal).
struct LaidOutText {
    struct PlacedGlyph {
        let glyph: Glyph
        /// Pen x of the glyph origin, in whole pixels from the text's start.
        let penX: Int
    }

    struct Char {
        let character: Character
        let isWhitespace: Bool
        let penX: Int
        let glyphs: [PlacedGlyph]
    }

    let text: String
    let chars: [Char]
    /// Total pen advance in whole pixels.
    let advance: Int

    /// Ink rectangle of one character placed at (x, baseline), restricted to
    /// the clip rectangle when given.
    func ink(of c: Char, x: Int, baseline: Int, clip: Rect?) -> Rect? {
        var out: Rect?
        for p in c.glyphs {
            let g = p.glyph
            guard let ink = g.ink else { continue }
            let bx = x + p.penX + g.left, by = baseline - g.top
            var r = Rect(x0: bx + ink.x0, y0: by + ink.y0, x1: bx + ink.x1, y1: by + ink.y1)
            if let clip, !(r.x0 >= clip.x0 && r.y0 >= clip.y0 && r.x1 <= clip.x1 && r.y1 <= clip.y1) {
                // Partly outside: the tight box of the visible covered pixels.
                let cx0 = Swift.max(r.x0, clip.x0), cy0 = Swift.max(r.y0, clip.y0)
                let cx1 = Swift.min(r.x1, clip.x1), cy1 = Swift.min(r.y1, clip.y1)
                guard cx0 < cx1, cy0 < cy1 else { continue }
                var t = Rect(x0: Int.max, y0: Int.max, x1: Int.min, y1: Int.min)
                for py in cy0..<cy1 {
                    let row = (py - by) * g.width - bx
                    for px in cx0..<cx1 where g.coverage[row + px] != 0 {
                        t.formUnion(Rect(x0: px, y0: py, x1: px + 1, y1: py + 1))
                    }
                }
                guard !t.isEmpty else { continue }
                r = t
            }
            if out == nil { out = r } else { out!.formUnion(r) }
        }
        return out
    }

    /// Words and boxes of the text placed at (x, baseline).
    func result(x: Int, baseline: Int, clip: Rect?) -> DrawnText {
        var words: [DrawnText.Word] = []
        var i = 0
        while i < chars.count {
            if chars[i].isWhitespace { i += 1; continue }
            var j = i
            var text = ""
            var charBoxes: [Box] = []
            var wordInk: Rect?
            while j < chars.count, !chars[j].isWhitespace {
                let c = chars[j]
                let s = String(c.character)
                text += s
                if let r = ink(of: c, x: x, baseline: baseline, clip: clip) {
                    charBoxes.append(r.box(text: s, level: "char"))
                    if wordInk == nil { wordInk = r } else { wordInk!.formUnion(r) }
                } else {
                    charBoxes.append(Box(x: Double(x + c.penX), y: Double(baseline), w: 0, h: 0, text: s, confidence: 100, level: "char"))
                }
                j += 1
            }
            let penX = x + chars[i].penX
            let end = j < chars.count ? chars[j].penX : advance
            let box =
                wordInk?.box(text: text, level: "word")
                ?? Box(x: Double(penX), y: Double(baseline), w: 0, h: 0, text: text, confidence: 100, level: "word")
            words.append(DrawnText.Word(text: text, box: box, characters: charBoxes, penX: penX, advance: x + end - penX))
            i = j
        }
        return DrawnText(text: text, x: x, baseline: baseline, advance: advance, words: words)
    }
}

extension Font {
    /// Lays out one line of text at pen origin 0: whole-pixel pen positions,
    /// FreeType hinted advances, and kerning between consecutive glyphs
    /// (`FT_Get_Kerning`, when the face has kerning and `kerning` is true).
    func layOut(_ text: String, kerning: Bool) throws(VisionError) -> LaidOutText {
        try FreeType.locked { () throws(VisionError) -> LaidOutText in
            var chars: [LaidOutText.Char] = []
            var pen = 0  // 26.6
            var previous: UInt32 = 0
            for (n, c) in text.enumerated() {
                if c.isNewline {
                    throw VisionError(
                        "text: drawText draws one line, but the text has a line break at character \(n + 1); draw each line separately (or use TextPage)")
                }
                let white = c.isWhitespace
                var placed: [LaidOutText.PlacedGlyph] = []
                let start = (pen + 32) >> 6
                for s in c.unicodeScalars {
                    let idx = glyphIndex(s)
                    if idx == 0 {
                        if white || s.properties.isDefaultIgnorableCodePoint {
                            // Whitespace the font lacks: advance like a space; ignorable: nothing.
                            if white { pen += try spaceAdvance() }
                            previous = 0
                            continue
                        }
                        let code = String(s.value, radix: 16, uppercase: true)
                        throw VisionError(
                            "text: font \(self) has no glyph for \"\(c)\" (U+\(String(repeating: "0", count: Swift.max(0, 4 - code.count)) + code)) at character \(n + 1) of \"\(text)\""
                        )
                    }
                    if kerning { pen += self.kerning(previous, idx) }
                    let g = try glyph(idx)
                    if !white { placed.append(.init(glyph: g, penX: (pen + 32) >> 6)) }
                    pen += g.advance
                    previous = idx
                }
                chars.append(.init(character: c, isWhitespace: white, penX: placed.first?.penX ?? start, glyphs: placed))
            }
            return LaidOutText(text: text, chars: chars, advance: (pen + 32) >> 6)
        }
    }

    /// The advance of a space in 26.6 (a third of the em when the font has no space).
    func spaceAdvance() throws(VisionError) -> Int {
        let idx = glyphIndex(" ")
        return idx == 0 ? size * 64 / 3 : try glyph(idx).advance
    }

    /// The width of a space, in pixels.
    public var spaceWidth: Int {
        (try? FreeType.locked { () throws(VisionError) -> Int in (try spaceAdvance() + 32) >> 6 }) ?? Swift.max(1, size / 3)
    }

    /// Lays out `text` without drawing it: boxes relative to pen origin x = 0
    /// on baseline y = 0 (ink above the baseline has negative y), not clipped.
    /// Errors for line breaks and characters the font has no glyph for.
    public func measure(_ text: String, kerning: Bool = true) throws(VisionError) -> DrawnText {
        try layOut(text, kerning: kerning).result(x: 0, baseline: 0, clip: nil)
    }
}
