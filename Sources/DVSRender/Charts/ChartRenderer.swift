import Foundation

/// Draws a validated `Chart` on a `CairoCanvas`: the frame every kind shares
/// (layout, grid, axes, ticks, labels, title, legend) here; the data of each
/// kind in ChartRenderer+Series.swift and ChartRenderer+Heatmap.swift.
///
/// Layout: the title on top, the y-axis label (rotated) and tick labels on the
/// left, tick labels and the x-axis label below, the legend inside the plot's
/// top-right corner, a heatmap's color bar on the right. Margins are measured
/// from the actual label widths in DejaVu Sans.
final class ChartRenderer {
    enum Font {
        static let title = 15.0
        static let axisLabel = 12.5
        static let tick = 11.0
        static let legend = 11.0
    }

    static let pad = 10.0
    static let tickLength = 4.0

    let chart: Chart
    let canvas: CairoCanvas
    var x: ChartAxis
    var y: ChartAxis
    /// The plot area in pixels.
    var left = 0.0, top = 0.0, right = 0.0, bottom = 0.0
    /// x labels drawn upright (long category names).
    var xRotated = false
    var xShown: [Int] = []
    var yShown: [Int] = []
    /// Extra room on the right (a heatmap's color bar).
    var rightExtra = 0.0

    /// The kind-specific part: data prepared in `init`, drawn by `drawData`.
    private let content: ChartContent

    init(chart: Chart, canvas: CairoCanvas) {
        self.chart = chart
        self.canvas = canvas
        let content: ChartContent
        switch chart.kind {
        case .heatmap: content = HeatmapContent(chart: chart)
        case .line, .scatter: content = PointsContent(chart: chart)
        case .bar, .histogram: content = BarsContent(chart: chart)
        }
        self.content = content
        (x, y) = content.axes()
    }

    func draw() {
        rightExtra = content.rightExtra(self)
        layout()
        canvas.fillRect(0, 0, Double(chart.width), Double(chart.height), ChartPalette.background)
        drawGrid()
        canvas.save()
        content.drawData(self)
        canvas.restore()
        drawAxes()
        drawTitles()
        content.drawOverlay(self)
        drawLegend()
    }

    // MARK: - Layout

    private func layout() {
        let w = Double(chart.width), h = Double(chart.height)
        let pad = Self.pad
        top = pad + (chart.title.isEmpty ? 4 : canvas.capHeight(size: Font.title) + canvas.descent(size: Font.title) + 12)
        let labelBand = canvas.capHeight(size: Font.axisLabel) + canvas.descent(size: Font.axisLabel)

        // Bottom first guess (for the y axis' pixel span), refined below.
        let tickBand = canvas.capHeight(size: Font.tick) + canvas.descent(size: Font.tick)
        bottom = h - (pad + Self.tickLength + 4 + tickBand + (chart.xlabel.isEmpty ? 0 : 8 + labelBand))
        y.pixelLow = bottom
        y.pixelHigh = top
        yShown = y.shownLabels(needed: Font.tick * 1.5)
        let yLabelWidth = yShown.map { canvas.textWidth(yLabel($0), size: Font.tick) }.max() ?? 0
        left = pad + (chart.ylabel.isEmpty ? 0 : labelBand + 8) + yLabelWidth + 4 + Self.tickLength

        // Right: half the last x label may overhang the plot's edge.
        var overhang = 6.0
        if !x.categorical, let last = x.labels.last {
            overhang = Swift.max(overhang, canvas.textWidth(last, size: Font.tick) / 2 + 2)
        }
        right = w - (rightExtra > 0 ? rightExtra : overhang + pad)
        if right - left < 20 { right = left + 20 }
        x.pixelLow = left
        x.pixelHigh = right

        // x labels: thin out, or turn long category names upright.
        let widths = x.labels.map { canvas.textWidth($0, size: Font.tick) }
        let widest = Swift.min(widths.max() ?? 0, 140)
        xRotated = false
        if x.categorical && x.ticks.count > 1 {
            let cell = Swift.abs(x.pixel(x.ticks[1]) - x.pixel(x.ticks[0]))
            let isNumbering = x.labels.allSatisfy { Double($0) != nil }
            if widest + 6 > cell && !isNumbering {
                xRotated = true
                xShown = x.shownLabels(needed: Font.tick * 1.4)
            } else {
                xShown = x.shownLabels(needed: widest + 8)
            }
        } else {
            xShown = x.shownLabels(needed: widest + 10)
        }
        let xBand = xRotated ? widest : tickBand
        bottom = h - (pad + Self.tickLength + 4 + xBand + (chart.xlabel.isEmpty ? 0 : 8 + labelBand))
        if bottom - top < 20 { bottom = top + 20 }
        y.pixelLow = bottom
        y.pixelHigh = top
        yShown = y.shownLabels(needed: Font.tick * 1.5)
    }

    /// The y label as drawn (long category names shortened).
    func yLabel(_ i: Int) -> String { canvas.fitted(y.labels[i], size: Font.tick, maxWidth: 140) }

    // MARK: - Frame

    /// `v` on the pixel grid's centre line, so 1-px lines are sharp.
    func snap(_ v: Double) -> Double { v.rounded(.down) + 0.5 }

    private func drawGrid() {
        canvas.lineWidth(1)
        if y.grid {
            canvas.setColor(ChartPalette.minorGrid)
            for v in y.minor {
                let p = snap(y.pixel(v))
                if p.isFinite { canvas.moveTo(left, p); canvas.lineTo(right, p) }
            }
            canvas.stroke()
            canvas.setColor(ChartPalette.grid)
            for v in y.ticks {
                let p = snap(y.pixel(v))
                if p.isFinite { canvas.moveTo(left, p); canvas.lineTo(right, p) }
            }
            canvas.stroke()
        }
        if x.grid {
            canvas.setColor(ChartPalette.grid)
            for v in x.ticks {
                let p = snap(x.pixel(v))
                if p.isFinite { canvas.moveTo(p, top); canvas.lineTo(p, bottom) }
            }
            canvas.stroke()
        }
    }

    private func drawAxes() {
        let axisX = snap(left) - 1, axisY = snap(bottom)
        canvas.lineWidth(1)
        canvas.setColor(ChartPalette.axis)
        canvas.moveTo(axisX, top)
        canvas.lineTo(axisX, axisY)
        canvas.lineTo(right, axisY)
        // Ticks (on category axes only where a label is shown).
        let yMarks = y.categorical ? yShown.map { y.ticks[$0] } : y.ticks
        let xMarks = x.categorical ? xShown.map { x.ticks[$0] } : x.ticks
        for v in yMarks {
            let p = snap(y.pixel(v))
            guard p.isFinite else { continue }
            canvas.moveTo(axisX - Self.tickLength, p)
            canvas.lineTo(axisX, p)
        }
        for v in y.minor {
            let p = snap(y.pixel(v))
            guard p.isFinite else { continue }
            canvas.moveTo(axisX - Self.tickLength / 2, p)
            canvas.lineTo(axisX, p)
        }
        for v in xMarks {
            let p = snap(x.pixel(v))
            guard p.isFinite else { continue }
            canvas.moveTo(p, axisY)
            canvas.lineTo(p, axisY + Self.tickLength)
        }
        canvas.stroke()

        for i in yShown {
            canvas.text(
                yLabel(i), x: axisX - Self.tickLength - 4, y: y.pixel(y.ticks[i]),
                size: Font.tick, align: .right, valign: .middle)
        }
        let labelTop = axisY + Self.tickLength + 4
        for i in xShown {
            let p = x.pixel(x.ticks[i])
            let label = canvas.fitted(x.labels[i], size: Font.tick, maxWidth: 140)
            if xRotated {
                canvas.text(label, x: p, y: labelTop, size: Font.tick, align: .right, valign: .middle, rotated: true)
            } else {
                canvas.text(label, x: p, y: labelTop, size: Font.tick, align: .center, valign: .top)
            }
        }
    }

    private func drawTitles() {
        let w = Double(chart.width), h = Double(chart.height)
        if !chart.title.isEmpty {
            let text = canvas.fitted(chart.title, size: Font.title, bold: true, maxWidth: w - 2 * Self.pad)
            let width = canvas.textWidth(text, size: Font.title, bold: true)
            // Centred over the plot when it fits there, else over the image.
            var cx = (left + right) / 2
            if cx - width / 2 < Self.pad || cx + width / 2 > w - Self.pad { cx = w / 2 }
            canvas.text(text, x: cx, y: Self.pad, size: Font.title, bold: true, align: .center, valign: .top)
        }
        if !chart.xlabel.isEmpty {
            let text = canvas.fitted(chart.xlabel, size: Font.axisLabel, maxWidth: w - 2 * Self.pad)
            canvas.text(text, x: (left + right) / 2, y: h - Self.pad, size: Font.axisLabel, align: .center, valign: .bottom)
        }
        if !chart.ylabel.isEmpty {
            let text = canvas.fitted(chart.ylabel, size: Font.axisLabel, maxWidth: h - 2 * Self.pad)
            canvas.text(
                text, x: Self.pad + canvas.capHeight(size: Font.axisLabel), y: (top + bottom) / 2,
                size: Font.axisLabel, align: .center, valign: .baseline, rotated: true)
        }
    }

    // MARK: - Legend

    /// Series names for the legend: shown when there are several series or any
    /// is named; unnamed ones read "series k".
    var legendEntries: [(name: String, color: ChartColor)] {
        guard chart.kind != .heatmap else { return [] }
        let series = chart.series
        guard series.count > 1 || series.contains(where: { !$0.name.isEmpty }) else { return [] }
        return series.enumerated().map { i, s in
            (s.name.isEmpty ? "series \(i + 1)" : s.name, ChartPalette.color(i))
        }
    }

    /// The legend box (top-right inside the plot), for drawing and for tests.
    func legendBox() -> (x: Double, y: Double, w: Double, h: Double)? {
        let entries = legendEntries
        guard !entries.isEmpty else { return nil }
        let maxText = (right - left) * 0.5
        let textW = entries.map { canvas.textWidth(canvas.fitted($0.name, size: Font.legend, maxWidth: maxText), size: Font.legend) }.max() ?? 0
        let row = Font.legend * 1.6
        let w = 8 + 20 + 6 + textW + 8
        let h = 6 + row * Double(entries.count) + 6
        return (right - 8 - w, top + 8, w, h)
    }

    private func drawLegend() {
        let entries = legendEntries
        guard let box = legendBox() else { return }
        canvas.fillRect(box.x, box.y, box.w, box.h, ChartPalette.background, alpha: 0.88)
        canvas.lineWidth(1)
        canvas.setColor(ChartPalette.legendBorder)
        canvas.rect(snap(box.x), snap(box.y), box.w.rounded(), box.h.rounded())
        canvas.stroke()
        let row = Font.legend * 1.6
        let maxText = (right - left) * 0.5
        for (i, entry) in entries.enumerated() {
            let cy = box.y + 6 + row * (Double(i) + 0.5)
            let sx = box.x + 8
            switch chart.kind {
            case .line:
                canvas.setColor(entry.color)
                canvas.lineWidth(2)
                canvas.dash(ChartPalette.dash(i))
                canvas.line(sx, cy, sx + 20, cy)
                canvas.dash([])
            case .scatter:
                canvas.setColor(entry.color)
                canvas.circle(sx + 10, cy, 3.5)
                canvas.fill()
            case .bar, .histogram, .heatmap:
                canvas.fillRect(sx + 3, cy - 5, 14, 10, entry.color)
            }
            canvas.text(
                canvas.fitted(entry.name, size: Font.legend, maxWidth: maxText), x: sx + 26, y: cy,
                size: Font.legend, valign: .middle)
        }
    }
}

/// The part of a chart that depends on its kind.
protocol ChartContent {
    /// The x and y axes for the prepared data (ranges and ticks).
    func axes() -> (ChartAxis, ChartAxis)
    /// Pixels to keep free right of the plot (0: the default margin).
    func rightExtra(_ r: ChartRenderer) -> Double
    /// Draws the data inside the plot area.
    func drawData(_ r: ChartRenderer)
    /// Draws over the frame (a color bar).
    func drawOverlay(_ r: ChartRenderer)
}

extension ChartContent {
    func rightExtra(_ r: ChartRenderer) -> Double { 0 }
    func drawOverlay(_ r: ChartRenderer) {}
}

/// Tick count targets from the image size: about one label per 80 px of
/// height and per 110 px of width.
extension Chart {
    var yTickCount: Int { Swift.min(Swift.max(height / 80, 3), 10) }
    var xTickCount: Int { Swift.min(Swift.max(width / 110, 3), 10) }
}
