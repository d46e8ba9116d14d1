import CCairo
import DVSTensor

/// Bytes that cairo streams out (PNG or SVG), collected in memory.
final class ByteSink {
    var bytes: [UInt8] = []
}

/// cairo's write callback: appends to the `ByteSink` passed as closure.
let appendToSink: cairo_write_func_t = { closure, data, length in
    guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    if let data, length > 0 {
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    }
    return CAIRO_STATUS_SUCCESS
}

/// A thin wrapper over a cairo context drawing either into an ARGB image
/// (PNG out) or an SVG stream: the drawing calls the chart renderer needs,
/// text in DejaVu Sans, and a record of every text drawn (for SVG's text layer).
final class CairoCanvas {
    enum HAlign { case left, center, right }
    enum VAlign { case baseline, top, middle, bottom }

    /// A string as drawn: `x`, `y` are the start of its baseline in pixels;
    /// `rotated` texts run upwards (rotated −90° about that point).
    struct TextItem {
        var text: String
        var x: Double
        var y: Double
        var size: Double
        var bold: Bool
        var rotated: Bool
    }

    static let fontFamily = "DejaVu Sans"

    let format: ChartFormat
    let width: Int
    let height: Int
    private let surface: OpaquePointer
    let cr: OpaquePointer
    private let sink = ByteSink()
    private var sinkRetained: Unmanaged<ByteSink>?
    private(set) var texts: [TextItem] = []
    private var finished = false

    init(format: ChartFormat, width: Int, height: Int) throws(ChartError) {
        if let failure = dvs_cairo_open() {
            throw ChartError("chart: \(String(cString: failure)); install Cairo (Debian: libcairo2)")
        }
        self.format = format
        self.width = width
        self.height = height
        let created: OpaquePointer?
        switch format {
        case .png:
            created = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        case .svg:
            let retained = Unmanaged.passRetained(sink)
            sinkRetained = retained
            created = cairo_svg_surface_create_for_stream(appendToSink, retained.toOpaque(), Double(width), Double(height))
            if let created { cairo_svg_surface_set_document_unit(created, CAIRO_SVG_UNIT_PX) }
        }
        guard let s = created, cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            let reason = created.map { String(cString: cairo_status_to_string(cairo_surface_status($0))) } ?? "no surface"
            if let created { cairo_surface_destroy(created) }
            sinkRetained?.release()
            throw ChartError("chart: cairo could not create a \(width)×\(height) \(format.rawValue) surface: \(reason)")
        }
        guard let c = cairo_create(s), cairo_status(c) == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(s)
            sinkRetained?.release()
            throw ChartError("chart: cairo could not create a drawing context: out of memory")
        }
        surface = s
        cr = c
        if let options = cairo_font_options_create() {
            cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_set_font_options(cr, options)
            cairo_font_options_destroy(options)
        }
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
    }

    deinit {
        cairo_destroy(cr)
        if !finished { cairo_surface_finish(surface) }
        cairo_surface_destroy(surface)
        sinkRetained?.release()
    }

    // MARK: - Output

    /// The finished file: PNG bytes, or the SVG document (before the text layer).
    func finish() throws(ChartError) -> [UInt8] {
        if cairo_status(cr) != CAIRO_STATUS_SUCCESS {
            throw ChartError("chart: drawing failed: \(String(cString: cairo_status_to_string(cairo_status(cr))))")
        }
        switch format {
        case .png:
            cairo_surface_flush(surface)
            let out = ByteSink()
            let status = withExtendedLifetime(out) {
                cairo_surface_write_to_png_stream(surface, appendToSink, Unmanaged.passUnretained(out).toOpaque())
            }
            guard status == CAIRO_STATUS_SUCCESS else {
                throw ChartError("chart: PNG encoding failed: \(String(cString: cairo_status_to_string(status)))")
            }
            return out.bytes
        case .svg:
            cairo_surface_finish(surface)
            finished = true
            let status = cairo_surface_status(surface)
            guard status == CAIRO_STATUS_SUCCESS else {
                throw ChartError("chart: SVG output failed: \(String(cString: cairo_status_to_string(status)))")
            }
            return sink.bytes
        }
    }

    // MARK: - Paths and paint

    func setColor(_ c: ChartColor, alpha: Double = 1) {
        if alpha >= 1 {
            cairo_set_source_rgb(cr, c.red, c.green, c.blue)
        } else {
            cairo_set_source_rgba(cr, c.red, c.green, c.blue, alpha)
        }
    }

    func lineWidth(_ w: Double) { cairo_set_line_width(cr, w) }

    /// Dash pattern for following strokes (empty: solid).
    func dash(_ pattern: [Double]) {
        cairo_set_dash(cr, pattern, Int32(pattern.count), 0)
    }
    func moveTo(_ x: Double, _ y: Double) { cairo_move_to(cr, x, y) }
    func lineTo(_ x: Double, _ y: Double) { cairo_line_to(cr, x, y) }
    func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double) { cairo_rectangle(cr, x, y, w, h) }
    func stroke() { cairo_stroke(cr) }
    func fill() { cairo_fill(cr) }
    func fillPreserve() { cairo_fill_preserve(cr) }
    func save() { cairo_save(cr) }
    func restore() { cairo_restore(cr) }

    func circle(_ x: Double, _ y: Double, _ r: Double) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
    }

    /// A straight line, stroked at once.
    func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
        cairo_move_to(cr, x0, y0)
        cairo_line_to(cr, x1, y1)
        cairo_stroke(cr)
    }

    func clip(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        cairo_rectangle(cr, x, y, w, h)
        cairo_clip(cr)
    }

    func resetClip() { cairo_reset_clip(cr) }

    func fillRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ c: ChartColor, alpha: Double = 1) {
        setColor(c, alpha: alpha)
        cairo_rectangle(cr, x, y, w, h)
        cairo_fill(cr)
    }

    /// Paints ARGB32 pixels (`rows × cols`, premultiplied, native-endian
    /// 0xAARRGGBB) stretched over the rectangle, with nearest-neighbour
    /// sampling so each cell stays a sharp block.
    func image(argb: [UInt32], cols: Int, rows: Int, x: Double, y: Double, w: Double, h: Double) {
        var pixels = argb
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, Int32(cols)))
        guard stride == cols * 4 else { return }
        pixels.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress,
                let img = cairo_image_surface_create_for_data(
                    base.assumingMemoryBound(to: UInt8.self), CAIRO_FORMAT_ARGB32,
                    Int32(cols), Int32(rows), Int32(stride))
            else { return }
            defer { cairo_surface_destroy(img) }
            cairo_save(cr)
            cairo_rectangle(cr, x, y, w, h)
            cairo_clip(cr)
            cairo_translate(cr, x, y)
            cairo_scale(cr, w / Double(cols), h / Double(rows))
            cairo_set_source_surface(cr, img, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
            cairo_paint(cr)
            cairo_restore(cr)
            // The SVG surface copies the image when it is used; be sure before `pixels` goes.
            cairo_surface_flush(img)
            cairo_surface_finish(img)
        }
    }

    /// Round markers of one color at many points. SVG: one filled circle each.
    /// PNG: an antialiased disc pre-drawn at the four half-pixel offsets, then
    /// stamped at each point rounded to the nearest half pixel — several
    /// times faster than filling each circle (100,000 points).
    func markers(_ points: [PixelPoint], radius: Double, color: ChartColor, alpha: Double) {
        guard format == .png, points.count > 64 else {
            setColor(color, alpha: alpha)
            for p in points {
                circle(p.x, p.y, radius)
                fill()
            }
            return
        }
        let side = Int((2 * radius).rounded(.up)) + 3
        var stamps: [OpaquePointer] = []
        defer { stamps.forEach { cairo_surface_destroy($0) } }
        for k in 0..<4 {
            guard let stamp = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(side), Int32(side)),
                let sc = cairo_create(stamp)
            else { return }
            let c = 1 + radius + Double(k % 2) * 0.5
            let d = 1 + radius + Double(k / 2) * 0.5
            cairo_arc(sc, c, d, radius, 0, 2 * Double.pi)
            cairo_fill(sc)
            cairo_destroy(sc)
            cairo_surface_flush(stamp)
            stamps.append(stamp)
        }
        setColor(color, alpha: alpha)
        for p in points {
            let hx = (p.x * 2).rounded(), hy = (p.y * 2).rounded()
            let ix = (hx / 2).rounded(.down), iy = (hy / 2).rounded(.down)
            let k = (hx - 2 * ix > 0.5 ? 1 : 0) + (hy - 2 * iy > 0.5 ? 2 : 0)
            cairo_mask_surface(cr, stamps[k], ix - 1 - radius.rounded(.down), iy - 1 - radius.rounded(.down))
        }
    }

    // MARK: - Text

    private func font(_ size: Double, bold: Bool) {
        cairo_select_font_face(cr, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    /// Labels are single lines: control characters become spaces.
    static func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// The advance width of `s` in pixels.
    func textWidth(_ s: String, size: Double, bold: Bool = false) -> Double {
        font(size, bold: bold)
        var e = cairo_text_extents_t()
        Self.clean(s).withCString { cairo_text_extents(cr, $0, &e) }
        return e.x_advance
    }

    /// Height of capitals and digits above the baseline.
    func capHeight(size: Double) -> Double { size * 0.73 }
    /// Depth of descenders below the baseline.
    func descent(size: Double) -> Double { size * 0.24 }

    /// `s` shortened with "…" until it fits `maxWidth` pixels.
    func fitted(_ s: String, size: Double, bold: Bool = false, maxWidth: Double) -> String {
        let text = Self.clean(s)
        if textWidth(text, size: size, bold: bold) <= maxWidth { return text }
        var chars = Array(text)
        while !chars.isEmpty {
            chars.removeLast()
            let candidate = String(chars) + "…"
            if textWidth(candidate, size: size, bold: bold) <= maxWidth { return candidate }
        }
        return ""
    }

    /// Draws `s` anchored at (x, y): `align` horizontally along the text,
    /// `valign` across it; `rotated` text reads bottom to top.
    func text(
        _ s: String, x: Double, y: Double, size: Double, color: ChartColor = ChartPalette.text,
        bold: Bool = false, align: HAlign = .left, valign: VAlign = .baseline, rotated: Bool = false
    ) {
        let string = Self.clean(s)
        guard !string.isEmpty else { return }
        let w = textWidth(string, size: size, bold: bold)
        let along: Double
        switch align {
        case .left: along = 0
        case .center: along = -w / 2
        case .right: along = -w
        }
        let across: Double
        switch valign {
        case .baseline: across = 0
        case .top: across = capHeight(size: size)
        case .middle: across = capHeight(size: size) / 2
        case .bottom: across = -descent(size: size)
        }
        // Baseline start in device pixels.
        let bx = rotated ? x + across : x + along
        let by = rotated ? y - along : y + across
        setColor(color)
        cairo_save(cr)
        cairo_translate(cr, bx, by)
        if rotated { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, 0, 0)
        string.withCString { cairo_show_text(cr, $0) }
        cairo_restore(cr)
        texts.append(TextItem(text: string, x: bx, y: by, size: size, bold: bold, rotated: rotated))
    }
}
