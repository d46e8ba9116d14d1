import DVSLang
import DVSTensor
import DVSVision

/// Fonts, text pages with exact word boxes, drawing annotations, overlays.
enum TextLibrary {
    /// A font from a font value, or a family name ("DejaVu Sans", "Liberation Serif Bold") or a .ttf path.
    static func font(_ a: Arguments, _ i: Int, size: Int) throws(NativeError) -> Font {
        switch a[i] {
        case .object(let o as FontValue): return o.font
        case .string(let spec): return try libraryCall { () throws(VisionError) in try Font.load(spec, size: size) }
        default: throw a.unexpected(i)
        }
    }

    static func strings(_ v: Value, _ what: String) throws(NativeError) -> [String] {
        guard case .list(let l) = v else { throw NativeError("\(what): expected a list of strings, got \(v.typeName)") }
        var out: [String] = []
        for item in l.items {
            guard case .string(let s) = item else { throw NativeError("\(what): expected strings, got \(item.typeName)") }
            out.append(s)
        }
        return out
    }

    static func pageRecord(_ page: TextPage) -> Value {
        .record(
            RecordObject([
                ("image", ImageValue.wrap(page.image)),
                ("boxes", .list(page.words.map(BoxValue.wrap))),
                ("lines", .list(page.lines.map { .list($0.map { .string($0) }) })),
                ("line_boxes", .list(page.lineBoxes.map(BoxValue.wrap))),
            ]))
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "font", [.init("name", .string), .init("size", .whole, default: .number(16))], returns: "font",
            help:
                "A TrueType font by family name (\"DejaVu Sans\", \"Liberation Serif Bold\") searched in $DVS_FONT_PATH, /usr/share/fonts, /usr/local/share/fonts, ~/.fonts — or by .ttf/.otf path; size in pixels."
        ) { a in
            let size = try a.int(1)
            return .object(FontValue(try font(a, 0, size: size)))
        },
        NativeFunction(
            "text_page",
            [
                .init("text", .list), .init("font", .oneOf([.font, .string]), default: .string("DejaVu Sans")),
                .init("size", .whole, default: .number(16)), .init("width", .whole, default: .number(224)),
                .init("height", .whole, default: .number(56)), .init("margin", .whole, default: .number(4)),
                .init("jitter", .whole, default: .number(0)), .init("seed", .whole, default: .number(0)),
                .init("line_spacing", .number, default: .number(1)),
            ],
            returns: "record",
            help:
                "Draws text (a list of lines, each a list of words — or a flat list of words, wrapped) as ink 1 on 0 and returns {image, boxes, lines, line_boxes}: the exact pixel box of every word. jitter moves lines by up to that many pixels (seeded)."
        ) { a in
            let size = try a.int(2)
            let f: Font
            if case .object(let o as FontValue) = a[1] { f = o.font } else { f = try font(a, 1, size: size) }
            let (w, h, m, j) = (try a.int(3), try a.int(4), try a.int(5), try a.int(6))
            let seed = UInt64(bitPattern: Int64(try a.int(7)))
            let spacing = try a.number(8)
            let items = try a.list(0).items
            let page: TextPage
            if items.allSatisfy({ if case .list = $0 { return true } else { return false } }) {
                var lines: [[String]] = []
                for item in items { lines.append(try strings(item, "text_page")) }
                page = try libraryCall { () throws(VisionError) in
                    try TextPage.generate(lines: lines, font: f, width: w, height: h, margin: m, jitter: j, seed: seed, lineSpacing: spacing)
                }
            } else {
                let words = try strings(a[0], "text_page")
                page = try libraryCall { () throws(VisionError) in
                    try TextPage.generate(words: words, font: f, width: w, height: h, margin: m, jitter: j, seed: seed, lineSpacing: spacing)
                }
            }
            return pageRecord(page)
        },
        NativeFunction(
            "draw_text",
            [
                .init("img", .image), .init("text", .string), .init("x", .whole), .init("y", .whole),
                .init("font", .oneOf([.font, .string]), default: .string("DejaVu Sans")), .init("size", .whole, default: .number(16)),
                .init("ink", .number, default: .number(1)),
            ],
            returns: "record",
            help: "Draws text with its top (the font's ascender line) at y; returns {image, boxes} with each word's exact box."
        ) { a in
            var img = try a.image(0)
            let text = try a.string(1), x = try a.int(2), y = try a.int(3)
            let f = try font(a, 4, size: try a.int(5)), ink = Float(try a.number(6))
            let drawn = try libraryCall { () throws(VisionError) in try img.drawText(text, x: x, top: y, font: f, ink: ink) }
            return .record(RecordObject([("image", ImageValue.wrap(img)), ("boxes", .list(drawn.wordBoxes.map(BoxValue.wrap)))]))
        },
        NativeFunction(
            "draw_box",
            [
                .init("img", .image), .init("box", .box), .init("value", .number, default: .number(1)),
                .init("thickness", .whole(in: 1...100), default: .number(1)),
            ],
            returns: "image", help: "The image with the outline of a box drawn in value (all channels)."
        ) { a in
            var img = try a.image(0)
            let b = try a.box(1), v = Float(try a.number(2)), t = try a.int(3)
            img.drawBox(b, value: v, thickness: t)
            return ImageValue.wrap(img)
        },
        NativeFunction(
            "overlay",
            [
                .init("img", .image), .init("grid", .grid), .init("labels", .oneOf([.record, .list])),
                .init("boxes", LabelLibrary.wordBoxes, default: .null), .init("scale", .whole, default: .number(2)),
            ],
            returns: "image",
            help:
                "The DV-SFT picture: the image (ink dark on white, enlarged by scale), the grid of visual tokens, each token's label word, unlabelled tokens shaded; word boxes outlined when given."
        ) { a in
            let img = try a.image(0)
            let g = try a.grid(1)
            var words: [String?] = []
            let wordsValue: Value
            if case .record(let r) = a[2], let w = r["words"] { wordsValue = w } else { wordsValue = a[2] }
            guard case .list(let l) = wordsValue else { throw NativeError("overlay: labels must be the record from dvsft_labels or a list of words") }
            for item in l.items {
                switch item {
                case .string(let s): words.append(s)
                case .null: words.append(nil)
                case .number(let n): words.append(n == -100 ? nil : formatNumber(n))
                default: throw NativeError("overlay: labels must be words (or nil), got \(item.typeName)")
                }
            }
            let drawing = try g.drawing(on: img, "overlay")
            let boxes = a.isNil(3) ? [] : try LabelLibrary.boxes(a, 3).map(drawing.words)
            var style = Overlay.Style()
            style.scale = try a.int(4)
            let s = style
            return ImageValue.wrap(
                try libraryCall { () throws(VisionError) in
                    try Overlay.draw(img, regions: drawing.regions, labels: words, words: boxes, style: s)
                })
        },
    ]
}
