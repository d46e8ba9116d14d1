import DVSTensor

/// A synthetic text page: lines of words drawn into a gray image (ink 1 on
/// background 0) with the ground-truth boxes known from drawing.
///
/// Layout rules (all in whole pixels; see `DrawnText` for the box rules):
/// - Words of a line are laid out separately and joined by the font's space
///   advance (plus the optional word-spacing jitter). Baselines are
///   `round(font.lineHeight × lineSpacing)` apart.
/// - Horizontally each line is aligned by its *ink* to the margin
///   (`.left`: the leftmost ink column is `margin`; `.right`: the rightmost
///   ink column is `width − margin − 1`; `.center`: centered between the
///   margins). Vertically the block of lines is aligned by font metrics
///   (`.top`: the first line's ascender at `margin`; `.center`: the block from
///   the first ascender to the last descender centered; `.bottom`), then moved
///   the least amount that puts all ink inside the margins.
/// - All ink stays inside the margins: `margin ≤ x`, `x + w ≤ width − margin`,
///   likewise for y. Lines never overlap (their boxes share no row) and words
///   of a line keep at least one ink-free column between them.
/// - A line wider than the space between the margins is an error naming the
///   first word that crosses the right margin; lines that do not fit the
///   height are an error naming the line. Whether a page fits depends only on
///   its words, font, size and layout options — never on the seed or jitter.
/// - Jitter (seeded, deterministic): each line moves by dx, dy drawn uniformly
///   from −jitter…jitter, restricted to the offsets that keep the line inside
///   the margins and inside its own band (halfway to the neighbouring lines),
///   so jitter never causes an error or an overlap. With `wordSpacingJitter`
///   each gap between words changes by a uniform −s…s pixels (kept ≥ 1 ink-free
///   column; positive extra space is given back, last gap first, when the
///   line would otherwise not fit).
/// Random draws come from `RandomGenerator(seed:)` in a fixed order (per line:
/// the word gaps, then dx, then dy), so a seed gives identical pixels and boxes.
public struct TextPage: Equatable, Sendable {
    public enum HorizontalAlignment: String, Sendable, CaseIterable { case left, center, right }
    public enum VerticalAlignment: String, Sendable, CaseIterable { case top, center, bottom }

    /// Gray image (1 channel), ink 1 on background 0.
    public var image: Image
    /// The words of each line, as given (or as wrapped).
    public var lines: [[String]]
    /// Word boxes in reading order (level "word", confidence 100).
    public var words: [Box]
    /// Line boxes (level "line", text = the line's words joined by spaces): the union of its word boxes.
    public var lineBoxes: [Box]
    /// Character boxes in reading order (level "char").
    public var characters: [Box]
    /// For each entry of `words`, its line index.
    public var wordLines: [Int]

    /// Generates a page from lines of words with a loaded font (which fixes the size).
    public static func generate(
        lines: [[String]], font: Font, width: Int = 224, height: Int = 56, margin: Int = 4,
        jitter: Int = 0, wordSpacingJitter: Int = 0, seed: UInt64 = 0, lineSpacing: Double = 1,
        horizontalAlignment: HorizontalAlignment = .left, verticalAlignment: VerticalAlignment = .center,
        kerning: Bool = true
    ) throws(VisionError) -> TextPage {
        guard width >= 1, height >= 1, width <= Image.maxSide, height <= Image.maxSide else {
            throw VisionError("page: size \(width)×\(height) is outside 1…\(Image.maxSide) pixels per side")
        }
        guard margin >= 0, 2 * margin < width, 2 * margin < height else {
            throw VisionError("page: margin \(margin) leaves no room on a \(width)×\(height) page")
        }
        guard jitter >= 0, wordSpacingJitter >= 0 else {
            throw VisionError("page: jitter must be ≥ 0, got \(jitter < 0 ? jitter : wordSpacingJitter)")
        }
        guard lineSpacing.isFinite, lineSpacing > 0, lineSpacing <= 100 else {
            throw VisionError("page: lineSpacing must be a positive number, got \(lineSpacing)")
        }
        guard !lines.isEmpty else { throw VisionError("page: no lines to draw") }
        let rng = RandomGenerator(seed: seed)
        let left = margin, right = width - margin, top = margin, bottom = height - margin
        let space = font.spaceWidth

        // 1. Each line: word pen offsets (from the line's pen origin) and ink extents.
        struct LineLayout { var pens: [Int]; var measured: [DrawnText]; var ink: Rect }
        var layouts: [LineLayout] = []
        for (li, line) in lines.enumerated() {
            guard !line.isEmpty else { throw VisionError("page: line \(li + 1) has no words") }
            var measured: [DrawnText] = []
            for (wi, word) in line.enumerated() {
                guard !word.isEmpty else { throw VisionError("page: word \(wi + 1) of line \(li + 1) is empty") }
                guard !word.contains(where: \.isWhitespace) else {
                    throw VisionError("page: word \(wi + 1) of line \(li + 1) (\"\(word)\") contains whitespace; pass words separately")
                }
                let m = try font.measure(word, kerning: kerning)
                guard m.hasInk else { throw VisionError("page: word \"\(word)\" (line \(li + 1)) draws no ink in \(font)") }
                measured.append(m)
            }
            func inkOf(_ k: Int, _ pen: Int) -> Rect {
                var r = Rect(measured[k].wordBoxes[0])!
                r.x0 += pen; r.x1 += pen
                return r
            }
            // Nominal pens, and the fit check (independent of the seed).
            var pens = [0]
            for k in 1..<line.count { pens.append(pens[k - 1] + measured[k - 1].advance + space) }
            let inkLeft = inkOf(0, 0).x0
            let available = right - left
            for k in 0..<line.count where inkOf(k, pens[k]).x1 - inkLeft > available {
                let reach = left + inkOf(k, pens[k]).x1 - inkLeft
                throw VisionError(
                    "page: word \"\(line[k])\" (line \(li + 1), word \(k + 1)) does not fit: at \(font) the line reaches x = \(reach), past the right margin at \(right) (page width \(width), margin \(margin)); use a smaller size, fewer or shorter words, or a wider page"
                )
            }
            // Word-spacing jitter.
            if wordSpacingJitter > 0, line.count > 1 {
                var extras = (1..<line.count).map { _ in Int(rng.nextInt(below: UInt64(2 * wordSpacingJitter + 1))) - wordSpacingJitter }
                func place() -> [Int] {
                    var p = [0]
                    for k in 1..<line.count {
                        var pen = p[k - 1] + measured[k - 1].advance + space + extras[k - 1]
                        // Keep at least one ink-free column between words.
                        let minPen = inkOf(k - 1, p[k - 1]).x1 + 1 - inkOf(k, 0).x0
                        if pen < minPen { pen = Swift.min(minPen, p[k - 1] + measured[k - 1].advance + space) }
                        p.append(pen)
                    }
                    return p
                }
                var p = place()
                var k = extras.count - 1
                while inkOf(line.count - 1, p[line.count - 1]).x1 - inkLeft > available, k >= 0 {
                    if extras[k] > 0 { extras[k] -= 1 } else { k -= 1 }
                    p = place()
                }
                pens = p
            }
            var ink = inkOf(0, pens[0])
            for k in 1..<line.count { ink.formUnion(inkOf(k, pens[k])) }
            layouts.append(LineLayout(pens: pens, measured: measured, ink: ink))
        }

        // 2. Baselines from font metrics, then the block moved inside the margins.
        let pitch = Swift.max(1, Int((Double(font.lineHeight) * lineSpacing).rounded()))
        let n = lines.count
        let blockHeight = font.ascent + (n - 1) * pitch + font.descent
        var firstBaseline: Int
        switch verticalAlignment {
        case .top: firstBaseline = top + font.ascent
        case .center: firstBaseline = top + (bottom - top - blockHeight) / 2 + font.ascent
        case .bottom: firstBaseline = bottom - blockHeight + font.ascent
        }
        var baselines = (0..<n).map { firstBaseline + $0 * pitch }
        for i in 1..<n where layouts[i].ink.y0 + baselines[i] < layouts[i - 1].ink.y1 + baselines[i - 1] {
            throw VisionError("page: lines \(i) and \(i + 1) overlap at \(font) with lineSpacing \(lineSpacing); increase lineSpacing")
        }
        let inkTop = layouts.indices.map { layouts[$0].ink.y0 + baselines[$0] }.min()!
        let inkBottom = layouts.indices.map { layouts[$0].ink.y1 + baselines[$0] }.max()!
        if inkBottom - inkTop > bottom - top {
            throw VisionError(
                "page: \(n) line\(n == 1 ? "" : "s") at \(font) need \(inkBottom - inkTop) px of height (ink), but the page has \(bottom - top) px between the margins (height \(height), margin \(margin)); use fewer lines, a smaller size or lineSpacing, or a taller page"
            )
        }
        let shift = inkTop < top ? top - inkTop : (inkBottom > bottom ? bottom - inkBottom : 0)
        baselines = baselines.map { $0 + shift }

        // 3. Horizontal base positions and jitter, then draw.
        var image = try Image(width: width, height: height, channels: 1)
        var words: [Box] = [], lineBoxes: [Box] = [], characters: [Box] = [], wordLines: [Int] = []
        func uniform(_ lo: Int, _ hi: Int) -> Int { lo + Int(rng.nextInt(below: UInt64(hi - lo + 1))) }
        for (i, layout) in layouts.enumerated() {
            let ink = layout.ink
            var x0: Int
            switch horizontalAlignment {
            case .left: x0 = left - ink.x0
            case .right: x0 = right - ink.x1
            case .center: x0 = left + (right - left - (ink.x1 - ink.x0)) / 2 - ink.x0
            }
            var baseline = baselines[i]
            if jitter > 0 {
                let dxLo = Swift.max(-jitter, left - (x0 + ink.x0)), dxHi = Swift.min(jitter, right - (x0 + ink.x1))
                // The line's band: halfway to its neighbours at their base positions.
                let bandTop = i == 0 ? top : (layouts[i - 1].ink.y1 + baselines[i - 1] + ink.y0 + baselines[i]) / 2
                let bandBottom = i == n - 1 ? bottom : (ink.y1 + baselines[i] + layouts[i + 1].ink.y0 + baselines[i + 1]) / 2
                let dyLo = Swift.max(-jitter, bandTop - (baseline + ink.y0)), dyHi = Swift.min(jitter, bandBottom - (baseline + ink.y1))
                x0 += uniform(dxLo, dxHi)
                baseline += uniform(dyLo, dyHi)
            }
            var lineWords: [Box] = []
            for (k, word) in lines[i].enumerated() {
                let drawn = try image.drawText(word, x: x0 + layout.pens[k], baseline: baseline, font: font, kerning: kerning)
                lineWords += drawn.wordBoxes
                characters += drawn.characterBoxes
                wordLines += Array(repeating: i, count: drawn.words.count)
            }
            words += lineWords
            lineBoxes.append(Rect.union(lineWords)!.box(text: lines[i].joined(separator: " "), level: "line"))
        }
        return TextPage(image: image, lines: lines, words: words, lineBoxes: lineBoxes, characters: characters, wordLines: wordLines)
    }

    /// Generates a page with a font given by name ("DejaVu Sans", "Liberation
    /// Serif Bold", or a font file path) at `size` pixels (fonts are cached).
    public static func generate(
        lines: [[String]], font: String = "DejaVu Sans", size: Int = 16, width: Int = 224, height: Int = 56, margin: Int = 4,
        jitter: Int = 0, wordSpacingJitter: Int = 0, seed: UInt64 = 0, lineSpacing: Double = 1,
        horizontalAlignment: HorizontalAlignment = .left, verticalAlignment: VerticalAlignment = .center,
        kerning: Bool = true
    ) throws(VisionError) -> TextPage {
        try generate(
            lines: lines, font: Font.load(font, size: size), width: width, height: height, margin: margin,
            jitter: jitter, wordSpacingJitter: wordSpacingJitter, seed: seed, lineSpacing: lineSpacing,
            horizontalAlignment: horizontalAlignment, verticalAlignment: verticalAlignment, kerning: kerning)
    }

    /// Breaks words into lines greedily: each line takes as many words as fit
    /// between the margins at nominal spacing. A word wider than the space
    /// between the margins on its own is an error naming it.
    public static func wrap(_ words: [String], font: Font, width: Int = 224, margin: Int = 4, kerning: Bool = true) throws(VisionError) -> [[String]] {
        let available = width - 2 * margin
        let space = font.spaceWidth
        var lines: [[String]] = []
        var current: [String] = []
        var inkLeft = 0, pen = 0  // pen: where the next word would start
        for word in words {
            let m = try font.measure(word, kerning: kerning)
            guard let r = Rect(m.lineBox) else { throw VisionError("page: word \"\(word)\" draws no ink in \(font)") }
            guard r.x1 - r.x0 <= available else {
                throw VisionError(
                    "page: word \"\(word)\" is \(r.x1 - r.x0) px wide at \(font), wider than the \(available) px between the margins (page width \(width), margin \(margin))"
                )
            }
            if !current.isEmpty, pen + r.x1 - inkLeft <= available {
                current.append(word)
                pen += m.advance + space
            } else {
                if !current.isEmpty { lines.append(current) }
                current = [word]
                inkLeft = r.x0
                pen = m.advance + space
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Generates a page from a flat list of words, wrapped into lines with `wrap`.
    public static func generate(
        words: [String], font: Font, width: Int = 224, height: Int = 56, margin: Int = 4,
        jitter: Int = 0, wordSpacingJitter: Int = 0, seed: UInt64 = 0, lineSpacing: Double = 1,
        horizontalAlignment: HorizontalAlignment = .left, verticalAlignment: VerticalAlignment = .center,
        kerning: Bool = true
    ) throws(VisionError) -> TextPage {
        guard !words.isEmpty else { throw VisionError("page: no words to draw") }
        let lines = try wrap(words, font: font, width: width, margin: margin, kerning: kerning)
        return try generate(
            lines: lines, font: font, width: width, height: height, margin: margin,
            jitter: jitter, wordSpacingJitter: wordSpacingJitter, seed: seed, lineSpacing: lineSpacing,
            horizontalAlignment: horizontalAlignment, verticalAlignment: verticalAlignment, kerning: kerning)
    }
}
