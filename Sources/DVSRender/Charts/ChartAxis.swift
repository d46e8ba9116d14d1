import Foundation

/// One axis of a chart as drawn: its data span, scale, ticks and labels, and
/// (once the layout is known) the pixels its ends map to.
struct ChartAxis {
    /// Data values at the two ends; `lower` maps to `pixelLow` (left or bottom).
    /// A heatmap's row axis runs from `rows` (bottom) to 0 (top).
    var lower: Double
    var upper: Double
    var log: Bool = false
    /// Labelled tick positions and their labels.
    var ticks: [Double]
    var labels: [String]
    var minor: [Double] = []
    /// Labels are names at fixed positions (bar categories, heatmap rows and
    /// columns): they may be thinned or, on the x axis, turned upright.
    var categorical: Bool = false
    /// Light grid lines across the plot at the ticks.
    var grid: Bool = true

    var pixelLow: Double = 0
    var pixelHigh: Double = 1

    init(ticks set: TickSet, log: Bool = false) {
        lower = set.lower
        upper = set.upper
        self.log = log
        ticks = set.values
        labels = set.labels
        minor = set.minor
    }

    init(lower: Double, upper: Double, ticks: [Double], labels: [String], categorical: Bool, grid: Bool) {
        self.lower = lower
        self.upper = upper
        self.ticks = ticks
        self.labels = labels
        self.categorical = categorical
        self.grid = grid
    }

    /// The pixel coordinate of data value `v` (NaN when `v` cannot be shown:
    /// non-finite, or ≤ 0 on a log axis).
    @inline(__always)
    func pixel(_ v: Double) -> Double {
        let t: Double
        if log {
            guard v > 0 else { return .nan }
            t = (Foundation.log10(v) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
        } else {
            t = (v - lower) / (upper - lower)
        }
        // Far-off values (outside the axis) stay far off but finite.
        return Swift.min(Swift.max(pixelLow + t * (pixelHigh - pixelLow), -1e6), 1e6)
    }

    /// Indices of the ticks whose labels are shown: every k-th, k from
    /// 1, 2, 5, 10, 20, … so neighbouring labels are at least `needed` pixels apart.
    func shownLabels(needed: Double) -> [Int] {
        guard ticks.count > 1 else { return Array(ticks.indices) }
        let spacing = Swift.abs(pixel(ticks[1]) - pixel(ticks[0]))
        guard spacing.isFinite, spacing > 0 else { return Array(ticks.indices) }
        var k = 1
        let steps = [1, 2, 5]
        var power = 1
        search: while true {
            for s in steps {
                k = s * power
                if Double(k) * spacing >= needed || k >= ticks.count { break search }
            }
            power *= 10
        }
        // Log axes with 1-2-5 labels: keep the decades when thinning.
        if log && k > 1 {
            let decades = ticks.indices.filter { i in
                let e = Foundation.log10(ticks[i])
                return Swift.abs(e - e.rounded()) < 1e-9
            }
            if decades.count >= 2 { return decades }
        }
        return Array(stride(from: 0, to: ticks.count, by: k))
    }
}
