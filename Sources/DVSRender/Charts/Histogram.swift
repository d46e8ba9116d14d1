/// Binning of histogram samples.
struct Histogram {
    /// Bin edges, `bins + 1` ascending values.
    var edges: [Double]
    /// Counts per series, `bins` each.
    var counts: [[Double]]

    /// Equal-width bins over the finite range of all series' samples (a single
    /// distinct value v gets the range v − 0.5 … v + 0.5). NaN and ±Inf samples
    /// are not counted; the maximum falls in the last bin.
    init(samples: [[Double]], bins: Int) {
        var lo = Double.infinity, hi = -Double.infinity
        for s in samples {
            for v in s where v.isFinite {
                if v < lo { lo = v }
                if v > hi { hi = v }
            }
        }
        if !(lo <= hi) { lo = 0; hi = 1 }
        if hi - lo <= 1e-12 * Swift.max(Swift.abs(lo), Swift.abs(hi)) { lo -= 0.5; hi += 0.5 }
        let n = Double(bins)
        // hi − lo may overflow (±1e308): divide first.
        let width = (hi - lo).isFinite ? (hi - lo) / n : hi / n - lo / n
        edges = (0...bins).map { $0 == bins ? hi : lo + Double($0) * width }
        counts = samples.map { s in
            var c = [Double](repeating: 0, count: bins)
            for v in s where v.isFinite {
                let q = (v - lo).isFinite ? (v - lo) / width : v / width - lo / width
                let i = q.isFinite ? Int(Swift.min(Swift.max(q, 0), n - 1)) : 0
                c[i] += 1
            }
            return c
        }
    }
}
