/// Cairo writes SVG text as glyph outlines (`<use xlink:href="#glyph…">`), so
/// the words are not in the file. This adds them back: a `<title>` (the
/// chart's title, for accessibility and tooltips) and, at the end, a
/// transparent layer of `<text>` elements (`fill-opacity="0"`) placed over
/// the drawn glyphs — searchable, selectable and readable by tools, invisible
/// on screen.
enum SVGTextLayer {
    /// Text for SVG (XML): see `MarkupEscaping`.
    static func escape(_ s: String) -> String { MarkupEscaping.escape(s, .spaces) }

    static func number(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func insert(into svg: [UInt8], texts: [CairoCanvas.TextItem], title: String) -> [UInt8] {
        var document = String(decoding: svg, as: UTF8.self)
        var layer = "<g id=\"chart-text\" fill-opacity=\"0\" font-family=\"\(CairoCanvas.fontFamily)\">\n"
        for t in texts {
            var attributes = "x=\"\(number(t.x))\" y=\"\(number(t.y))\" font-size=\"\(number(t.size))\""
            if t.bold { attributes += " font-weight=\"bold\"" }
            if t.rotated { attributes += " transform=\"rotate(-90 \(number(t.x)) \(number(t.y)))\"" }
            layer += "<text \(attributes)>\(escape(t.text))</text>\n"
        }
        layer += "</g>\n"
        if let end = document.range(of: "</svg>", options: .backwards) {
            document.insert(contentsOf: layer, at: end.lowerBound)
        }
        if !title.isEmpty, let open = document.range(of: "<svg"),
            let close = document.range(of: ">", range: open.upperBound..<document.endIndex)
        {
            document.insert(contentsOf: "\n<title>\(escape(CairoCanvas.clean(title)))</title>", at: close.upperBound)
        }
        return Array(document.utf8)
    }
}
