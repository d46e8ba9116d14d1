import DVSTensor

/// What `render` refuses, with the message it throws. Every message starts
/// with "chart:" and names the series (`'name'`, or `#k` counting from 1 when
/// unnamed) and what was expected.
///
/// Not errors (documented skips): NaN/±Inf values inside a series (the point
/// is left out; lines break around it), points with y ≤ 0 on a log-scale axis
/// (left out the same way, as long as some positive value remains anywhere),
/// NaN cells of a heatmap (blank), NaN/±Inf histogram samples (not counted).
extension Chart {
    static let minimumSize = (width: 100, height: 80)
    static let maximumSide = 8192
    static let maximumBins = 10000

    /// `'loss'` or `#2`.
    static func seriesName(_ s: Series, _ index: Int) -> String {
        s.name.isEmpty ? "#\(index + 1)" : "'\(s.name)'"
    }

    /// Throws the first problem found (see the type's comment).
    public func validate() throws(ChartError) {
        guard width >= Self.minimumSize.width, height >= Self.minimumSize.height,
            width <= Self.maximumSide, height <= Self.maximumSide
        else {
            throw ChartError(
                "chart: size \(width)×\(height) pixels is out of range; width must be \(Self.minimumSize.width)…\(Self.maximumSide) and height \(Self.minimumSize.height)…\(Self.maximumSide)"
            )
        }
        guard smoothing.isFinite, smoothing >= 0, smoothing < 1 else {
            throw ChartError("chart: smoothing must be at least 0 and below 1 (0 = off, 0.9 = strong); got \(smoothing)")
        }
        if kind == .heatmap { return try validateHeatmap() }

        guard !series.isEmpty else {
            throw ChartError("chart: nothing to draw: the \(kind.rawValue) chart has no series")
        }
        if kind == .histogram {
            guard bins >= 1, bins <= Self.maximumBins else {
                throw ChartError("chart: a histogram needs 1…\(Self.maximumBins) bins; got \(bins)")
            }
        }
        for (i, s) in series.enumerated() {
            let name = Self.seriesName(s, i)
            let values = kind == .histogram ? "samples" : "values"
            guard !s.ys.isEmpty else {
                throw ChartError("chart: series \(name) is empty; give at least one \(kind == .histogram ? "sample" : "point")")
            }
            if kind == .histogram {
                guard s.ys.contains(where: { $0.isFinite }) else {
                    throw ChartError("chart: series \(name) has no finite \(values) (all \(s.ys.count) are NaN or infinite)")
                }
                continue
            }
            guard s.xs.count == s.ys.count else {
                throw ChartError("chart: series \(name) has \(s.xs.count) x values but \(s.ys.count) y values; they must have the same length")
            }
            var finite = false
            for j in 0..<s.ys.count where s.xs[j].isFinite && s.ys[j].isFinite {
                finite = true
                break
            }
            guard finite else {
                throw ChartError("chart: series \(name) has no finite points (all \(s.ys.count) have a NaN or infinite x or y)")
            }
        }
        if kind == .bar && !categories.isEmpty {
            let longest = series.map(\.ys.count).max() ?? 0
            guard categories.count == longest else {
                throw ChartError("chart: \(categories.count) bar labels for \(longest) bars; give one label per bar")
            }
        }
        if logY {
            var positive = false
            if kind == .histogram {
                positive = true  // some bin holds a finite sample, so some count is ≥ 1
            } else {
                outer: for s in series {
                    for j in 0..<s.ys.count where s.xs[j].isFinite && s.ys[j].isFinite && s.ys[j] > 0 {
                        positive = true
                        break outer
                    }
                }
            }
            guard positive else {
                throw ChartError(
                    "chart: the log-scale y axis has nothing to draw: no series has a finite y value above 0 (values ≤ 0 are skipped on a log axis)")
            }
        }
    }

    private func validateHeatmap() throws(ChartError) {
        guard let m = matrix else {
            throw ChartError("chart: the heatmap has no cells; make it with Chart.heatmap(matrix)")
        }
        if let lengths = raggedRows {
            throw ChartError(
                "chart: heatmap rows have different lengths (\(lengths.map(String.init).joined(separator: ", "))); every row must have \(m.cols) values")
        }
        guard m.rows > 0, m.cols > 0 else {
            throw ChartError("chart: the heatmap is empty (\(m.rows)×\(m.cols)); give at least one row and one column")
        }
        guard m.values.count == m.rows * m.cols else {
            throw ChartError("chart: the heatmap has \(m.values.count) values but \(m.rows)×\(m.cols) = \(m.rows * m.cols) cells")
        }
        guard m.values.contains(where: { $0.isFinite }) else {
            throw ChartError("chart: the heatmap has no finite values (all \(m.values.count) cells are NaN or infinite)")
        }
        guard m.rowLabels.isEmpty || m.rowLabels.count == m.rows else {
            throw ChartError("chart: the heatmap has \(m.rowLabels.count) row labels for \(m.rows) rows; give one per row or none")
        }
        guard m.colLabels.isEmpty || m.colLabels.count == m.cols else {
            throw ChartError("chart: the heatmap has \(m.colLabels.count) column labels for \(m.cols) columns; give one per column or none")
        }
        if let r = colorRange {
            guard r.lowerBound.isFinite, r.upperBound.isFinite else {
                throw ChartError("chart: the heatmap color range must be finite; got \(r.lowerBound)…\(r.upperBound)")
            }
        }
    }
}
