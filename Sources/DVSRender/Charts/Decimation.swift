/// A point in device pixels.
struct PixelPoint: Equatable {
    var x: Double
    var y: Double
}

/// Reduces a long line to what can be seen: per pixel column, the first,
/// lowest, highest and last point of each unbroken run (the "M4" rule), in
/// their original order. The drawn line is the same as with all points —
/// every vertical extent in every column is kept — while 100,000 points
/// over 600 columns become at most ~2,400.
enum Decimation {
    /// Splits the line at skipped points (`x` or `y` NaN) into runs and
    /// decimates each run per pixel column (`floor(x)`).
    static func polylines(xs: [Double], ys: [Double]) -> [[PixelPoint]] {
        var runs: [[PixelPoint]] = []
        var run: [PixelPoint] = []
        // The current column's group, as indices into xs/ys.
        var column = Int.min
        var first = -1, last = -1, low = -1, high = -1

        func flush() {
            guard first >= 0 else { return }
            var picks = [first, low, high, last]
            picks.sort()
            var previous = -1
            for i in picks where i != previous {
                run.append(PixelPoint(x: xs[i], y: ys[i]))
                previous = i
            }
            first = -1
        }
        func endRun() {
            flush()
            if !run.isEmpty { runs.append(run); run = [] }
            column = Int.min
        }

        for i in 0..<Swift.min(xs.count, ys.count) {
            let x = xs[i], y = ys[i]
            if x.isNaN || y.isNaN || !x.isFinite || !y.isFinite { endRun(); continue }
            let c = Int(x.rounded(.down))
            if c != column || first < 0 {
                flush()
                column = c
                first = i; last = i; low = i; high = i
            } else {
                last = i
                if y < ys[low] { low = i }
                if y > ys[high] { high = i }
            }
        }
        endRun()
        return runs
    }
}
