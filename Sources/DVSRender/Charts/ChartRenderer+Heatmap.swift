import Foundation

/// Heatmaps: one cell per matrix value, row 0 at the top, colored with
/// `Colormap.viridis` over the color range (the finite min…max unless
/// `colorRange` is set; a constant matrix gets v ± |v|/10, or −1…1 for 0);
/// values outside the range take the end colors; NaN/±Inf cells stay blank.
/// Rows and columns are labelled with the given labels or their indices
/// (thinned to 1, 2, 5, 10… apart when crowded); a color bar with nice ticks
/// inside the range stands on the right.
///
/// PNG: the cells are one image scaled with nearest-neighbour sampling (sharp
/// edges, no seams). SVG: one rectangle per cell up to 20,000 cells, else an
/// embedded image. Matrices with more than 2,048 rows or columns (more cells
/// than pixels) are averaged in blocks down to at most 2,048 × 2,048 first
/// (finite values only; a block with none stays blank).
struct HeatmapContent: ChartContent {
    static let maxSVGRects = 20_000
    static let barGap = 12.0
    static let barWidth = 14.0

    let chart: Chart
    let m: Chart.Matrix
    let lo: Double
    let hi: Double

    init(chart: Chart) {
        self.chart = chart
        m = chart.matrix ?? Chart.Matrix(rows: 1, cols: 1, values: [0])
        var a = Double.infinity, b = -Double.infinity
        if let r = chart.colorRange {
            a = r.lowerBound
            b = r.upperBound
        } else {
            for v in m.values where v.isFinite {
                if v < a { a = v }
                if v > b { b = v }
            }
        }
        (lo, hi) = Ticks.widened(a, b)
    }

    func axes() -> (ChartAxis, ChartAxis) {
        let xa = ChartAxis(
            lower: 0, upper: Double(m.cols), ticks: (0..<m.cols).map { Double($0) + 0.5 },
            labels: m.colLabels.isEmpty ? (0..<m.cols).map(String.init) : m.colLabels,
            categorical: true, grid: false)
        let ya = ChartAxis(
            lower: Double(m.rows), upper: 0, ticks: (0..<m.rows).map { Double($0) + 0.5 },
            labels: m.rowLabels.isEmpty ? (0..<m.rows).map(String.init) : m.rowLabels,
            categorical: true, grid: false)
        return (xa, ya)
    }

    var barTicks: TickSet { Ticks.inside(min: lo, max: hi, count: Swift.max(chart.height / 70, 3)) }

    func rightExtra(_ r: ChartRenderer) -> Double {
        let widest = barTicks.labels.map { r.canvas.textWidth($0, size: ChartRenderer.Font.tick) }.max() ?? 0
        return Self.barGap + Self.barWidth + ChartRenderer.tickLength + 4 + widest + ChartRenderer.pad
    }

    /// 0xAARRGGBB of value `v` (0: transparent, for NaN/±Inf).
    func pixel(_ v: Double) -> UInt32 {
        guard v.isFinite else { return 0 }
        let c = Colormap.viridis((v - lo) / (hi - lo))
        func byte(_ x: Double) -> UInt32 { UInt32((Swift.min(Swift.max(x, 0), 1) * 255).rounded()) }
        return 0xFF00_0000 | byte(c.red) << 16 | byte(c.green) << 8 | byte(c.blue)
    }

    func drawData(_ r: ChartRenderer) {
        let c = r.canvas
        let w = r.right - r.left, h = r.bottom - r.top
        if c.format == .svg && m.rows * m.cols <= Self.maxSVGRects {
            let cw = w / Double(m.cols), ch = h / Double(m.rows)
            for row in 0..<m.rows {
                for col in 0..<m.cols {
                    let v = m.values[row * m.cols + col]
                    guard v.isFinite else { continue }
                    let color = Colormap.viridis((v - lo) / (hi - lo))
                    // Overlap the next cell by half a pixel: no hairline seams.
                    let ow = col + 1 < m.cols ? 0.5 : 0, oh = row + 1 < m.rows ? 0.5 : 0
                    c.fillRect(r.left + Double(col) * cw, r.top + Double(row) * ch, cw + ow, ch + oh, color)
                }
            }
        } else {
            let small = Self.pooled(m, maxSide: Self.maxImageSide)
            c.image(argb: small.values.map(pixel), cols: small.cols, rows: small.rows, x: r.left, y: r.top, w: w, h: h)
        }
    }

    static let maxImageSide = 2048

    /// Block means of the finite values, so neither side exceeds `maxSide`.
    static func pooled(_ m: Chart.Matrix, maxSide: Int) -> (rows: Int, cols: Int, values: [Double]) {
        guard m.rows > maxSide || m.cols > maxSide else { return (m.rows, m.cols, m.values) }
        let fr = (m.rows + maxSide - 1) / maxSide, fc = (m.cols + maxSide - 1) / maxSide
        let rows = (m.rows + fr - 1) / fr, cols = (m.cols + fc - 1) / fc
        var sums = [Double](repeating: 0, count: rows * cols)
        var counts = [Double](repeating: 0, count: rows * cols)
        for r in 0..<m.rows {
            let base = (r / fr) * cols
            for c in 0..<m.cols {
                let v = m.values[r * m.cols + c]
                guard v.isFinite else { continue }
                sums[base + c / fc] += v
                counts[base + c / fc] += 1
            }
        }
        return (rows, cols, zip(sums, counts).map { $1 > 0 ? $0 / $1 : .nan })
    }

    func drawOverlay(_ r: ChartRenderer) {
        let c = r.canvas
        let x0 = r.right + Self.barGap
        let h = r.bottom - r.top
        // The gradient: 256 steps, high values on top.
        let steps = 256
        let column = (0..<steps).map { i -> UInt32 in
            pixel(hi - (hi - lo) * (Double(i) + 0.5) / Double(steps))
        }
        c.image(argb: column, cols: 1, rows: steps, x: x0, y: r.top, w: Self.barWidth, h: h)
        c.lineWidth(1)
        c.setColor(ChartPalette.axis)
        c.rect(r.snap(x0) - 1, r.snap(r.top) - 1, Self.barWidth + 1, (h + 1).rounded())
        c.stroke()
        let ticks = barTicks
        let xr = x0 + Self.barWidth
        for (v, label) in zip(ticks.values, ticks.labels) {
            let p = r.bottom - (v - lo) / (hi - lo) * h
            let sp = r.snap(p)
            c.setColor(ChartPalette.axis)
            c.line(xr, sp, xr + ChartRenderer.tickLength, sp)
            c.text(label, x: xr + ChartRenderer.tickLength + 4, y: p, size: ChartRenderer.Font.tick, valign: .middle)
        }
    }
}
