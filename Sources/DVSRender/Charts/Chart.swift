import DVSTensor

/// A chart as a value: what to draw (kind, series, heatmap cells) and how
/// (titles, log scale, smoothing, size). Build one with a factory
/// (`Chart.line(ys:)`, `.scatter`, `.bar`, `.histogram`, `.heatmap`), adjust the
/// properties, then `render(format:)` or `write(to:)` it (ChartRenderer.swift).
///
/// Nothing is checked until rendering: `render` throws a `ChartError` naming
/// the series and the problem (ChartValidation.swift). Inside a valid series,
/// NaN and ±Inf points are skipped — a line breaks around them (a gap) — and
/// with `logY` so are points with y ≤ 0.
public struct Chart: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case line, scatter, bar, histogram, heatmap
    }

    /// One data series. For `.histogram` charts `ys` holds the samples and
    /// `xs` is empty (bins are computed when rendering, shared by all series).
    public struct Series: Equatable, Sendable {
        public var name: String
        public var xs: [Double]
        public var ys: [Double]

        public init(name: String = "", xs: [Double], ys: [Double]) {
            self.name = name
            self.xs = xs
            self.ys = ys
        }
    }

    /// Heatmap cells, row-major: `values[r * cols + c]`; row 0 is drawn at the top.
    public struct Matrix: Equatable, Sendable {
        public var rows: Int
        public var cols: Int
        public var values: [Double]
        /// Empty, or one label per row / column.
        public var rowLabels: [String]
        public var colLabels: [String]

        public init(rows: Int, cols: Int, values: [Double], rowLabels: [String] = [], colLabels: [String] = []) {
            self.rows = rows
            self.cols = cols
            self.values = values
            self.rowLabels = rowLabels
            self.colLabels = colLabels
        }
    }

    public var kind: Kind
    public var series: [Series]
    public var title: String = ""
    public var xlabel: String = ""
    public var ylabel: String = ""
    /// Log-scale y axis (line, scatter, bar, histogram; ignored by heatmaps).
    public var logY: Bool = false
    /// Exponential smoothing of line charts, 0 ≤ smoothing < 1: the weight of
    /// the previous smoothed value (TensorBoard's slider), so 0 is off, 0.6 is
    /// light and 0.99 heavy. Equivalent to an EMA with alpha = 1 − smoothing,
    /// debiased so the curve starts at the data. When on, the raw series is
    /// drawn faded under the smoothed line.
    public var smoothing: Double = 0
    /// Image size in pixels (SVG: in CSS px).
    public var width: Int = 640
    public var height: Int = 400
    /// Bar charts: one label per bar position, drawn under the x axis.
    public var categories: [String] = []
    /// Histogram: the number of equal-width bins.
    public var bins: Int = 30
    /// Heatmap cells (kind `.heatmap` only).
    public var matrix: Matrix?
    /// Heatmap: the values mapped to the ends of the colormap (default: the
    /// finite minimum and maximum of the cells); values outside are clamped.
    public var colorRange: ClosedRange<Double>?

    public init(kind: Kind, series: [Series] = [], title: String = "", xlabel: String = "", ylabel: String = "") {
        self.kind = kind
        self.series = series
        self.title = title
        self.xlabel = xlabel
        self.ylabel = ylabel
    }

    // MARK: - Factories

    /// A line over x = 0, 1, 2, …
    public static func line(ys: [Double], name: String = "") -> Chart {
        Chart(kind: .line, series: [Series(name: name, xs: indices(ys.count), ys: ys)])
    }

    public static func line(xs: [Double], ys: [Double], name: String = "") -> Chart {
        Chart(kind: .line, series: [Series(name: name, xs: xs, ys: ys)])
    }

    public static func scatter(xs: [Double], ys: [Double], name: String = "") -> Chart {
        Chart(kind: .scatter, series: [Series(name: name, xs: xs, ys: ys)])
    }

    /// Bars at positions 0, 1, 2, … labelled with `labels` (one per height).
    public static func bar(labels: [String], heights: [Double], name: String = "") -> Chart {
        var chart = Chart(kind: .bar, series: [Series(name: name, xs: indices(heights.count), ys: heights)])
        chart.categories = labels
        return chart
    }

    /// Bars centred at numeric positions `xs`.
    public static func bar(xs: [Double], heights: [Double], name: String = "") -> Chart {
        Chart(kind: .bar, series: [Series(name: name, xs: xs, ys: heights)])
    }

    /// Counts of `values` in `bins` equal-width bins spanning their finite range
    /// (NaN and ±Inf samples are left out).
    public static func histogram(values: [Double], bins: Int = 30, name: String = "") -> Chart {
        var chart = Chart(kind: .histogram, series: [Series(name: name, xs: [], ys: values)])
        chart.bins = bins
        return chart
    }

    /// A heatmap of `matrix` (rows of equal length; row 0 at the top), colored
    /// with a viridis-like colormap and a color bar. NaN cells are left blank.
    public static func heatmap(_ matrix: [[Double]], rowLabels: [String] = [], colLabels: [String] = []) -> Chart {
        let cols = matrix.first?.count ?? 0
        var values: [Double] = []
        values.reserveCapacity(matrix.count * cols)
        var ragged = false
        for row in matrix {
            if row.count != cols { ragged = true }
            values += row
        }
        var chart = Chart(kind: .heatmap)
        // A ragged matrix is kept as rows × (first row's length) with the wrong
        // number of values; validation reports the row lengths.
        chart.matrix = Matrix(rows: matrix.count, cols: cols, values: values, rowLabels: rowLabels, colLabels: colLabels)
        chart.raggedRows = ragged ? matrix.map(\.count) : nil
        return chart
    }

    /// A heatmap of `rows × cols` row-major values.
    public static func heatmap(values: [Double], rows: Int, cols: Int, rowLabels: [String] = [], colLabels: [String] = []) -> Chart {
        var chart = Chart(kind: .heatmap)
        chart.matrix = Matrix(rows: rows, cols: cols, values: values, rowLabels: rowLabels, colLabels: colLabels)
        return chart
    }

    // MARK: - More series

    /// Adds a series drawn like the others (a line, points, bars side by side,
    /// or — for histograms — the samples `ys`, binned with the other series).
    public mutating func addSeries(name: String = "", xs: [Double], ys: [Double]) {
        series.append(Series(name: name, xs: xs, ys: ys))
    }

    /// Adds a series over x = 0, 1, 2, … (histograms: samples, no xs).
    public mutating func addSeries(name: String = "", ys: [Double]) {
        series.append(Series(name: name, xs: kind == .histogram ? [] : Self.indices(ys.count), ys: ys))
    }

    /// A copy with one more series.
    public func adding(name: String = "", xs: [Double], ys: [Double]) -> Chart {
        var copy = self
        copy.addSeries(name: name, xs: xs, ys: ys)
        return copy
    }

    /// Row lengths of a ragged `heatmap([[Double]])` input, for the error message.
    var raggedRows: [Int]?

    static func indices(_ n: Int) -> [Double] { (0..<n).map(Double.init) }
}
