import Foundation

/// A picture output as `<figure class="dvs-figure" id="fig-N">`: the picture
/// in an `<img>` with a `data:` URI (PNG, or SVG — an SVG shown as an image
/// runs no script and loads nothing, so it needs no sanitizing), the label as
/// alt text and caption.
enum NotebookFigure {
    /// Images whose larger side is at most this are enlarged, pixels kept sharp.
    static let smallSide = 64
    /// The size small images are enlarged to, about.
    static let enlargedSide = 192

    static func png(_ png: [UInt8], label: String, number: Int) -> String {
        var attributes = ""
        var note = ""
        if let (w, h) = pngSize(png) {
            let side = Swift.max(w, h)
            if side <= smallSide {
                let scale = Swift.min(16, enlargedSide / side)
                attributes = " class=\"dvs-pixelated\" width=\"\(w * scale)\" height=\"\(h * scale)\""
                note = "\(w)×\(h) px, shown ×\(scale)"
            } else {
                attributes = " width=\"\(w)\" height=\"\(h)\""
            }
        }
        return figure(
            src: "data:image/png;base64," + Data(png).base64EncodedString(), attributes: attributes,
            label: label, note: note, number: number)
    }

    static func svg(_ svg: String, label: String, number: Int) -> String {
        let attributes = viewBoxOnlySize(svg).map { " width=\"\($0.0)\" height=\"\($0.1)\"" } ?? ""
        return figure(
            src: "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString(), attributes: attributes,
            label: label, note: "", number: number)
    }

    /// For an SVG whose root has a viewBox but no width or height, the
    /// viewBox size (user units as CSS pixels): as an image it would have no
    /// size of its own and stretch to the whole column.
    static func viewBoxOnlySize(_ svg: String) -> (Int, Int)? {
        guard let open = svg.range(of: "<svg"), let close = svg[open.upperBound...].firstIndex(of: ">") else { return nil }
        let tag = svg[open.upperBound..<close]
        guard attribute("width", in: tag) == nil, attribute("height", in: tag) == nil,
            let box = attribute("viewBox", in: tag)
        else { return nil }
        let numbers = box.split { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }.compactMap { Double($0) }
        guard numbers.count == 4, numbers[2] >= 1, numbers[3] >= 1, numbers[2] < 1e5, numbers[3] < 1e5 else { return nil }
        return (Int(numbers[2].rounded()), Int(numbers[3].rounded()))
    }

    /// The value of attribute `name` in a tag's attribute text.
    static func attribute(_ name: String, in tag: Substring) -> Substring? {
        var rest = tag
        while let r = rest.range(of: name + "=") {
            let before = rest[..<r.lowerBound].last
            rest = rest[r.upperBound...]
            // `stroke-width=` is not `width=`.
            guard before?.isWhitespace ?? true, let quote = rest.first, quote == "\"" || quote == "'" else { continue }
            let value = rest.dropFirst()
            guard let end = value.firstIndex(of: quote) else { return nil }
            return value[..<end]
        }
        return nil
    }

    static func figure(src: String, attributes: String, label: String, note: String, number: Int) -> String {
        let alt = HTMLText.escape(label.isEmpty ? "figure \(number)" : label)
        var caption = HTMLText.escape(label)
        if !note.isEmpty { caption += (caption.isEmpty ? "" : " ") + "<span class=\"dvs-dim\">\(note)</span>" }
        return "<figure class=\"dvs-figure\" id=\"fig-\(number)\"><img src=\"\(src)\" alt=\"\(alt)\"\(attributes)>"
            + (caption.isEmpty ? "" : "<figcaption>\(caption)</figcaption>") + "</figure>"
    }

    /// Width and height from a PNG's IHDR chunk; nil if the bytes are no PNG.
    static func pngSize(_ png: [UInt8]) -> (Int, Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard png.count >= 24, Array(png[0..<8]) == signature, Array(png[12..<16]) == Array("IHDR".utf8) else { return nil }
        func u32(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let (w, h) = (u32(16), u32(20))
        return w > 0 && h > 0 ? (w, h) : nil
    }
}
