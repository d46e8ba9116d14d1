/// Exponential smoothing of a line series (TensorBoard's rule).
enum Smoothing {
    /// `s_t = w · s_{t−1} + (1 − w) · y_t`, divided by `1 − w^n` (n = values
    /// averaged so far) so the curve starts at the data instead of at 0. Skipped
    /// values (`keep` false: NaN, ±Inf, or ≤ 0 on a log axis) stay NaN in the
    /// result and do not move the average.
    static func ema(_ ys: [Double], weight w: Double, keep: (Double) -> Bool) -> [Double] {
        var out = [Double](repeating: .nan, count: ys.count)
        var last = 0.0
        var debias = 1.0
        for (i, y) in ys.enumerated() where keep(y) {
            last = last * w + (1 - w) * y
            debias *= w
            let denominator = 1 - debias
            out[i] = denominator > 0 ? last / denominator : y
        }
        return out
    }
}
