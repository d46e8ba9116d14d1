import Foundation

/// Line and scatter charts: points (x, y) per series.
///
/// Skips: a point is left out when x or y is NaN or ±Inf, or (log-scale y)
/// when y ≤ 0; a line breaks there and resumes at the next kept point, and a
/// kept point with no kept neighbour is drawn as a dot.
struct PointsContent: ChartContent {
    let chart: Chart
    /// Per series, the smoothed ys (empty when smoothing is off or for scatter).
    let smoothed: [[Double]]
    let xRange: (Double, Double)
    let yRange: (Double, Double)

    init(chart: Chart) {
        self.chart = chart
        let keep = Self.keeper(logY: chart.logY)
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        for s in chart.series {
            for i in 0..<Swift.min(s.xs.count, s.ys.count) {
                let xv = s.xs[i], yv = s.ys[i]
                guard xv.isFinite, keep(yv) else { continue }
                if xv < xlo { xlo = xv }
                if xv > xhi { xhi = xv }
                if yv < ylo { ylo = yv }
                if yv > yhi { yhi = yv }
            }
        }
        if !(xlo <= xhi) { xlo = 0; xhi = 1 }
        if !(ylo <= yhi) { ylo = chart.logY ? 1 : 0; yhi = chart.logY ? 10 : 1 }
        xRange = (xlo, xhi)
        yRange = (ylo, yhi)
        if chart.kind == .line && chart.smoothing > 0 {
            smoothed = chart.series.map { Smoothing.ema($0.ys, weight: chart.smoothing, keep: keep) }
        } else {
            smoothed = []
        }
    }

    /// Which y values are drawn.
    static func keeper(logY: Bool) -> (Double) -> Bool {
        logY ? { $0.isFinite && $0 > 0 } : { $0.isFinite }
    }

    func axes() -> (ChartAxis, ChartAxis) {
        let xa = ChartAxis(ticks: Ticks.linear(min: xRange.0, max: xRange.1, count: chart.xTickCount))
        let ya =
            chart.logY
            ? ChartAxis(ticks: Ticks.log(min: yRange.0, max: yRange.1, count: chart.yTickCount), log: true)
            : ChartAxis(ticks: Ticks.linear(min: yRange.0, max: yRange.1, count: chart.yTickCount))
        return (xa, ya)
    }

    func drawData(_ r: ChartRenderer) {
        let c = r.canvas
        c.clip(r.left - 3, r.top - 3, r.right - r.left + 6, r.bottom - r.top + 6)
        let keep = Self.keeper(logY: chart.logY)
        for (i, s) in chart.series.enumerated() {
            let color = ChartPalette.color(i)
            let n = Swift.min(s.xs.count, s.ys.count)
            var px = [Double](repeating: .nan, count: n)
            var py = [Double](repeating: .nan, count: n)
            for j in 0..<n where s.xs[j].isFinite && keep(s.ys[j]) {
                px[j] = r.x.pixel(s.xs[j])
                py[j] = r.y.pixel(s.ys[j])
            }
            switch chart.kind {
            case .scatter:
                drawMarkers(c, px, py, color: color, count: n, width: chart.width, height: chart.height)
            default:
                c.dash(ChartPalette.dash(i))
                if smoothed.isEmpty {
                    drawPolyline(c, px, py, color: color, alpha: 1, width: 1.75)
                } else {
                    drawPolyline(c, px, py, color: color, alpha: 0.28, width: 1.25)
                    let sy = smoothed[i].map { $0.isFinite ? r.y.pixel($0) : .nan }
                    drawPolyline(c, px, sy, color: color, alpha: 1, width: 2)
                }
                c.dash([])
            }
        }
    }

    /// The line through the pixels, decimated per pixel column.
    private func drawPolyline(_ c: CairoCanvas, _ px: [Double], _ py: [Double], color: ChartColor, alpha: Double, width: Double) {
        let runs = Decimation.polylines(xs: px, ys: py)
        c.setColor(color, alpha: alpha)
        c.lineWidth(width)
        var dots: [PixelPoint] = []
        for run in runs {
            if run.count == 1 { dots.append(run[0]); continue }
            c.moveTo(run[0].x, run[0].y)
            for p in run.dropFirst() { c.lineTo(p.x, p.y) }
        }
        c.stroke()
        for p in dots { c.circle(p.x, p.y, width) }
        if !dots.isEmpty { c.fill() }
    }

    /// Round markers; points falling on an already marked half-pixel are drawn once.
    private func drawMarkers(_ c: CairoCanvas, _ px: [Double], _ py: [Double], color: ChartColor, count: Int, width: Int, height: Int) {
        let gw = 2 * width + 2, gh = 2 * height + 2
        var seen = [Bool](repeating: false, count: gw * gh)
        var points: [PixelPoint] = []
        for j in 0..<px.count {
            let xv = px[j], yv = py[j]
            guard xv.isFinite, yv.isFinite else { continue }
            let gx = Int((xv * 2).rounded()), gy = Int((yv * 2).rounded())
            guard gx >= 0, gy >= 0, gx < gw, gy < gh, !seen[gy * gw + gx] else { continue }  // outside the image, or done
            seen[gy * gw + gx] = true
            points.append(PixelPoint(x: xv, y: yv))
        }
        c.markers(points, radius: count > 5000 ? 2 : 3, color: color, alpha: count > 5000 ? 0.55 : 0.8)
    }
}

/// Bar charts (bars side by side per position, one group per series) and
/// histograms (equal-width bins shared by all series, overlaid).
///
/// Skips: bars whose x or height is NaN or ±Inf, and with a log-scale y axis
/// bars with height ≤ 0 (log bars rise from the bottom of the axis).
struct BarsContent: ChartContent {
    let chart: Chart
    /// Per series: bar centre, half width, height.
    var bars: [[(x: Double, half: Double, height: Double)]] = []
    let xRange: (Double, Double)
    let yRange: (Double, Double)
    let histogram: Histogram?

    init(chart: Chart) {
        self.chart = chart
        let keep = PointsContent.keeper(logY: chart.logY)
        var ylo = Double.infinity, yhi = -Double.infinity
        var xlo = Double.infinity, xhi = -Double.infinity
        if chart.kind == .histogram {
            let h = Histogram(samples: chart.series.map(\.ys), bins: chart.bins)
            histogram = h
            for counts in h.counts {
                var row: [(x: Double, half: Double, height: Double)] = []
                for (i, count) in counts.enumerated() {
                    row.append(((h.edges[i] + h.edges[i + 1]) / 2, (h.edges[i + 1] - h.edges[i]) / 2, count))
                    if keep(count) { ylo = Swift.min(ylo, count); yhi = Swift.max(yhi, count) }
                }
                bars.append(row)
            }
            xlo = h.edges.first ?? 0
            xhi = h.edges.last ?? 1
        } else {
            histogram = nil
            // Bar width: 80% of the closest spacing of positions, split among series.
            var positions: [Double] = []
            for s in chart.series { positions += s.xs.filter(\.isFinite) }
            positions.sort()
            var gap = Double.infinity
            for i in positions.indices.dropFirst() where positions[i] > positions[i - 1] {
                gap = Swift.min(gap, positions[i] - positions[i - 1])
            }
            if !chart.categories.isEmpty || !gap.isFinite { gap = 1 }
            let group = gap * 0.8
            let n = Double(chart.series.count)
            for (k, s) in chart.series.enumerated() {
                var row: [(x: Double, half: Double, height: Double)] = []
                for i in 0..<Swift.min(s.xs.count, s.ys.count) where s.xs[i].isFinite && keep(s.ys[i]) {
                    let center = s.xs[i] - group / 2 + (Double(k) + 0.5) * group / n
                    row.append((center, group / n / 2, s.ys[i]))
                    ylo = Swift.min(ylo, s.ys[i]); yhi = Swift.max(yhi, s.ys[i])
                    xlo = Swift.min(xlo, center - group / n / 2); xhi = Swift.max(xhi, center + group / n / 2)
                }
                bars.append(row)
            }
        }
        if !(ylo <= yhi) { ylo = 0; yhi = 1 }
        if !(xlo <= xhi) { xlo = 0; xhi = 1 }
        if !chart.logY { ylo = Swift.min(ylo, 0); yhi = Swift.max(yhi, 0) }
        xRange = (xlo, xhi)
        yRange = (ylo, yhi)
    }

    func axes() -> (ChartAxis, ChartAxis) {
        var xa: ChartAxis
        if chart.kind == .bar && !chart.categories.isEmpty {
            let n = chart.categories.count
            xa = ChartAxis(
                lower: -0.5, upper: Double(n) - 0.5, ticks: (0..<n).map(Double.init),
                labels: chart.categories, categorical: true, grid: false)
        } else {
            xa = ChartAxis(ticks: Ticks.linear(min: xRange.0, max: xRange.1, count: chart.xTickCount))
            xa.grid = false
        }
        var ya =
            chart.logY
            ? ChartAxis(ticks: Ticks.log(min: yRange.0, max: yRange.1, count: chart.yTickCount), log: true)
            : ChartAxis(ticks: Ticks.linear(min: yRange.0, max: yRange.1, count: chart.yTickCount))
        if chart.kind == .histogram && !chart.logY {
            // Counts start at 0.
            ya.lower = Swift.min(ya.lower, 0)
        }
        return (xa, ya)
    }

    func drawData(_ r: ChartRenderer) {
        let c = r.canvas
        c.clip(r.left, r.top - 1, r.right - r.left, r.bottom - r.top + 1)
        let base = chart.logY ? r.bottom : r.y.pixel(0)
        let overlaid = chart.kind == .histogram && chart.series.count > 1
        for (k, row) in bars.enumerated() {
            c.setColor(ChartPalette.color(k), alpha: overlaid ? 0.5 : (chart.series.count > 1 ? 0.9 : 1))
            for bar in row {
                let top = r.y.pixel(bar.height)
                guard top.isFinite, bar.height != 0 || chart.kind == .bar else { continue }
                var x0 = r.x.pixel(bar.x - bar.half), x1 = r.x.pixel(bar.x + bar.half)
                // A hairline gap between touching bars when there is room.
                if x1 - x0 >= 4 { x1 -= 1 } else if chart.kind == .bar { x1 = Swift.max(x1, x0 + 1) }
                if x1 < x0 { swap(&x0, &x1) }
                let y0 = Swift.min(top, base), y1 = Swift.max(top, base)
                c.rect(x0, y0, x1 - x0, Swift.max(y1 - y0, 0.75))
            }
            c.fill()
        }
    }
}
