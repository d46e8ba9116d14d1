import CCairo
import DVSTensor
import Foundation
import XCTest

@testable import DVSRender

#if canImport(FoundationXML)
import FoundationXML
#endif

final class ChartTests: XCTestCase {
    // MARK: - Every kind, both formats

    /// One chart of each kind, with titles and (where it applies) a legend.
    static func samples() -> [(String, Chart, legend: [String])] {
        var line = Chart.line(ys: (0..<200).map { exp(-Double($0) / 50) + 0.05 * sin(Double($0)) }, name: "train")
        line.addSeries(name: "valid", xs: (0..<20).map { Double($0) * 10 }, ys: (0..<20).map { exp(-Double($0) / 6) + 0.1 })
        line.title = "Loss curves"
        line.xlabel = "step"
        line.ylabel = "loss"

        var scatter = Chart.scatter(xs: (0..<300).map { cos(Double($0)) * Double($0) }, ys: (0..<300).map { sin(Double($0)) * Double($0) }, name: "spiral")
        scatter.title = "Scatter"

        var bar = Chart.bar(labels: ["read line", "word j", "where is"], heights: [0.91, 0.64, 0.32], name: "SFT")
        bar.addSeries(name: "DV-SFT", xs: [0, 1, 2], ys: [0.95, 0.81, 0.66])
        bar.title = "Accuracy by question kind"
        bar.ylabel = "exact match"

        // A deterministic bell shape: sums of six pseudo-uniform numbers.
        let samples: [Double] = (0..<5000).map { (i: Int) -> Double in
            var sum = -3.0
            for k in 0..<6 { sum += Double((k * 7919 + i * 104_729) % 1000) / 1000 }
            return sum
        }
        var histogram = Chart.histogram(values: samples, bins: 40, name: "logits")
        histogram.title = "Histogram"

        var heatmap = Chart.heatmap(
            (0..<8).map { r in (0..<12).map { c in sin(Double(r) / 2) * cos(Double(c) / 3) } },
            rowLabels: (0..<8).map { "head \($0)" })
        heatmap.title = "Attention"
        return [
            ("line", line, ["train", "valid"]), ("scatter", scatter, ["spiral"]), ("bar", bar, ["SFT", "DV-SFT"]),
            ("histogram", histogram, ["logits"]), ("heatmap", heatmap, []),
        ]
    }

    func testEveryKindRendersPNG() throws {
        for (name, chart, _) in Self.samples() {
            let png = try chart.render(format: .png)
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(name): PNG signature")
            XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR", name)
            XCTAssertEqual(be32(png, 16), 640, "\(name) width")
            XCTAssertEqual(be32(png, 20), 400, "\(name) height")

            let image = try XCTUnwrap(DecodedPNG(png), name)
            XCTAssertEqual(image.width, 640)
            XCTAssertEqual(image.height, 400)
            // Data ink: saturated pixels (axes, grid and text are gray) in the plot's middle.
            let colored = image.count(x: 100..<560, y: 60..<340) { $0.saturation > 60 }
            XCTAssertGreaterThan(colored, 300, "\(name): too little data ink in the plot area")
            // Text and axes: dark pixels.
            XCTAssertGreaterThan(image.count(x: 0..<640, y: 0..<400) { $0.max < 90 && $0.saturation < 30 }, 200, name)
            if ProcessInfo.processInfo.environment["DVS_CHART_DUMP"] != nil {
                try chart.write(to: "/tmp/chart-\(name).png")
                try chart.write(to: "/tmp/chart-\(name).svg")
            }
        }
    }

    func testEveryKindRendersSVGWithItsText() throws {
        for (name, chart, legend) in Self.samples() {
            let svg = try chart.render(format: .svg)
            let doc = try parseSVG(svg)
            XCTAssertEqual(doc.root, "svg", name)
            XCTAssertEqual(doc.attributes["width"], "640px", name)
            XCTAssertEqual(doc.attributes["height"], "400px", name)
            XCTAssertTrue(doc.texts.contains(chart.title), "\(name): title missing from \(doc.texts.sorted())")
            XCTAssertEqual(doc.title, chart.title, name)
            for entry in legend {
                XCTAssertTrue(doc.texts.contains(entry), "\(name): legend '\(entry)' missing from \(doc.texts.sorted())")
            }
            XCTAssertGreaterThan(doc.elementCount, 20, name)
        }
    }

    func testAxisTextInSVG() throws {
        let (_, line, _) = Self.samples()[0]
        let texts = try parseSVG(line.render(format: .svg)).texts
        for t in ["step", "loss", "0", "50", "100", "150", "200", "0.5", "1"] {
            XCTAssertTrue(texts.contains(t), "'\(t)' missing from \(texts.sorted())")
        }
        let (_, heatmap, _) = Self.samples()[4]
        let htexts = try parseSVG(heatmap.render(format: .svg)).texts
        for t in ["head 0", "head 7", "0", "11", "0.5", "-0.5"] {
            XCTAssertTrue(htexts.contains(t), "heatmap: '\(t)' missing from \(htexts.sorted())")
        }
        let (_, bar, _) = Self.samples()[2]
        let btexts = try parseSVG(bar.render(format: .svg)).texts
        for t in ["read line", "word j", "where is", "exact match"] {
            XCTAssertTrue(btexts.contains(t), "bar: '\(t)' missing from \(btexts.sorted())")
        }
    }

    func testLegendIsDrawnTopRight() throws {
        // Data only in the left part of the plot: the top-right corner holds the legend.
        var chart = Chart.line(ys: [10, 0, 0, 0, 0, 0, 0, 0], name: "alpha")
        chart.addSeries(name: "beta", ys: [9, 1, 0, 0, 0, 0, 0, 0])
        let image = try XCTUnwrap(DecodedPNG(chart.render(format: .png)))
        let corner = (x: 420..<640, y: 0..<110)
        for (i, color) in ChartPalette.colors.prefix(2).enumerated() {
            let n = image.count(x: corner.x, y: corner.y) { $0.near(color) }
            XCTAssertGreaterThan(n, 10, "legend swatch of series \(i) missing")
        }
        XCTAssertGreaterThan(image.count(x: corner.x, y: corner.y) { $0.max < 90 }, 20, "legend text missing")

        // A single unnamed series has no legend.
        let plain = try XCTUnwrap(DecodedPNG(Chart.line(ys: [10, 0, 0, 0, 0, 0, 0, 0]).render(format: .png)))
        XCTAssertEqual(plain.count(x: corner.x, y: corner.y) { $0.near(ChartPalette.colors[0]) }, 0)
    }

    func testSizeIsRespected() throws {
        var chart = Chart.scatter(xs: [1, 2, 3], ys: [3, 1, 2])
        chart.width = 300
        chart.height = 200
        let png = try chart.render(format: .png)
        XCTAssertEqual(be32(png, 16), 300)
        XCTAssertEqual(be32(png, 20), 200)
        let doc = try parseSVG(chart.render(format: .svg))
        XCTAssertEqual(doc.attributes["width"], "300px")
    }

    func testWriteChoosesFormatFromExtension() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dvs-chart-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = Chart.line(ys: [1, 2, 3])
        try chart.write(to: dir.appendingPathComponent("a.PNG").path)
        try chart.write(to: dir.appendingPathComponent("a.svg").path)
        let png = try Data(contentsOf: dir.appendingPathComponent("a.PNG"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let svg = try Data(contentsOf: dir.appendingPathComponent("a.svg"))
        XCTAssertTrue(String(decoding: svg, as: UTF8.self).contains("<svg"))
        assertChartError(
            try chart.write(to: dir.appendingPathComponent("a.jpg").path),
            "chart: cannot tell the format of '\(dir.path)/a.jpg': '.jpg' is not supported; use a .png or .svg file name")
        assertChartError(
            try chart.write(to: dir.appendingPathComponent("noext").path),
            "chart: cannot tell the format of '\(dir.path)/noext': it has no extension; use a .png or .svg file name")
        XCTAssertThrowsError(try chart.write(to: dir.appendingPathComponent("missing/a.png").path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("chart: cannot write '\(dir.path)/missing/a.png': folder"), "\(error)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(files, ["a.PNG", "a.svg"], "no temporary files left")
    }

    // MARK: - Skips and gaps

    func testNaNMakesAGapInTheLine() throws {
        var ys = [Double](repeating: 1, count: 101)
        for i in 45...55 { ys[i] = .nan }
        ys[50] = .infinity
        var chart = Chart.line(ys: ys)
        chart.addSeries(ys: [0, 2])  // sets the y range to 0…2, line at 1 in the middle
        let image = try XCTUnwrap(DecodedPNG(chart.render(format: .png)))
        func blueInColumn(_ x: Int) -> Int { image.count(x: x..<(x + 1), y: 0..<400) { $0.near(ChartPalette.colors[0]) } }
        // x = 0…100 maps onto the plot; find the plot's columns from the blue line.
        let columns = (0..<640).filter { blueInColumn($0) > 0 }
        let first = try XCTUnwrap(columns.first), last = try XCTUnwrap(columns.last)
        let mid = (first + last) / 2
        XCTAssertEqual(blueInColumn(mid), 0, "the line must break at the NaN run")
        XCTAssertGreaterThan(blueInColumn(first + (last - first) / 4), 0)
        XCTAssertGreaterThan(blueInColumn(last - (last - first) / 4), 0)
    }

    func testLogScaleSkipsNonPositive() throws {
        var chart = Chart.line(ys: [0, -1, 1, 10, 100, 1000, .nan, 0.5])
        chart.logY = true
        let texts = try parseSVG(chart.render(format: .svg)).texts
        XCTAssertTrue(texts.contains("0.1") && texts.contains("1k"), "\(texts.sorted())")
        XCTAssertFalse(texts.contains("-1"))
        _ = try chart.render(format: .png)
        var bars = Chart.bar(labels: ["a", "b", "c"], heights: [0, 5, 50])
        bars.logY = true
        _ = try bars.render(format: .png)
        var histogram = Chart.histogram(values: [1, 1, 1, 1, 2, 9, 9], bins: 8)
        histogram.logY = true
        _ = try histogram.render(format: .png)
    }

    func testSmoothingDrawsFadedRawAndSmoothLine() throws {
        let ys: [Double] = (0..<500).map { (i: Int) -> Double in
            let wiggle: Double = i % 2 == 0 ? 0.2 : -0.2
            return 1 / (1 + Double(i) / 50) + wiggle
        }
        var chart = Chart.line(ys: ys, name: "loss")
        chart.smoothing = 0.9
        let image = try XCTUnwrap(DecodedPNG(chart.render(format: .png)))
        let blue = ChartPalette.colors[0]
        XCTAssertGreaterThan(image.count(x: 0..<640, y: 0..<400) { $0.near(blue) }, 200, "the smoothed line")
        // The faded raw series: light blue tints, neither white nor full blue.
        XCTAssertGreaterThan(image.count(x: 0..<640, y: 0..<400) { $0.b > 200 && $0.r > 120 && $0.r < 230 && $0.b - $0.r > 15 }, 500)
        let smooth = Smoothing.ema([1, 1, 1, .nan, 1], weight: 0.9, keep: { $0.isFinite })
        XCTAssertEqual(smooth[0], 1, accuracy: 1e-12, "debiased: starts at the data")
        XCTAssertTrue(smooth[3].isNaN)
        XCTAssertEqual(smooth[4], 1, accuracy: 1e-12)
    }

    func testExtremeValuesStayFinite() throws {
        _ = try Chart.line(ys: [-1e308, 1e308, 0]).render(format: .png)
        let tiny = Double.leastNonzeroMagnitude
        _ = try Chart.line(ys: [tiny, 0, tiny * 2000]).render(format: .svg)
        _ = try Chart.histogram(values: [-1.7e308, 1.7e308, 0], bins: 10).render(format: .png)
        _ = try Chart.scatter(xs: [1e300, -1e300], ys: [1, 2]).render(format: .png)
        var log = Chart.line(ys: [tiny, 1e308])
        log.logY = true
        _ = try log.render(format: .png)
        XCTAssertLessThanOrEqual(Ticks.linear(min: -1e308, max: 1e308).values.count, 10)
        XCTAssertLessThanOrEqual(Ticks.linear(min: 0, max: tiny).values.count, 10)
    }

    func testSinglePointAndConstantSeries() throws {
        _ = try Chart.line(ys: [3]).render(format: .png)
        _ = try Chart.line(ys: [2, 2, 2]).render(format: .svg)
        _ = try Chart.scatter(xs: [0], ys: [0]).render(format: .png)
        _ = try Chart.histogram(values: [4, 4, 4], bins: 5).render(format: .png)
        _ = try Chart.heatmap([[7]]).render(format: .png)
        _ = try Chart.heatmap([[1, .nan], [.infinity, 2]]).render(format: .svg)
        _ = try Chart.bar(xs: [5], heights: [-2]).render(format: .png)
    }

    func testBigHeatmapAndHostileText() throws {
        var heatmap = Chart.heatmap(values: (0..<(300 * 300)).map { Double($0 % 301) }, rows: 300, cols: 300)
        heatmap.colorRange = 0...100
        let doc = try parseSVG(heatmap.render(format: .svg))
        XCTAssertTrue(doc.texts.contains("100"))
        _ = try heatmap.render(format: .png)

        // More columns than cairo's 32,767-pixel image limit: averaged down.
        let wide = Chart.heatmap(values: (0..<40_000).map { Double($0 % 7) }, rows: 1, cols: 40_000)
        XCTAssertNotNil(DecodedPNG(try wide.render(format: .png)))
        let pooled = HeatmapContent.pooled(
            Chart.Matrix(
                rows: 3, cols: 5,
                values: [
                    1, 2, 3, 4, .nan,
                    5, 6, 7, 8, .nan,
                    9, 9, 9, 9, 9,
                ]), maxSide: 2)
        XCTAssertEqual(pooled.rows, 2)
        XCTAssertEqual(pooled.cols, 2)
        XCTAssertEqual(Array(pooled.values.prefix(3)), [4, 6, 9])
        XCTAssertEqual(pooled.values[3], 9)

        var chart = Chart.line(ys: [1, 2], name: "a<b>&\"c\"\nd")
        chart.title = "<script>&amp;</script> ünïcødé ✓ α"
        let doc2 = try parseSVG(chart.render(format: .svg))
        XCTAssertTrue(doc2.texts.contains("a<b>&\"c\" d"), "\(doc2.texts.sorted())")
        XCTAssertTrue(doc2.texts.contains("<script>&amp;</script> ünïcødé ✓ α"), "\(doc2.texts.sorted())")
    }

    func testDecimationKeepsExtremesPerColumn() {
        let xs = [0.1, 0.2, 0.3, 0.4, 1.5, 1.6, .nan, 3.0, 3.1]
        let ys = [5, 9, 1, 4, 2, 3, 0, 7, 8.0]
        let runs = Decimation.polylines(xs: xs, ys: ys)
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs[0].map(\.y), [5, 9, 1, 4, 2, 3])
        XCTAssertEqual(runs[1].map(\.y), [7, 8])
        let many = Decimation.polylines(xs: (0..<10_000).map { Double($0) / 100 }, ys: (0..<10_000).map { sin(Double($0)) })
        XCTAssertEqual(many.count, 1)
        XCTAssertLessThanOrEqual(many[0].count, 400)
        XCTAssertEqual(many[0].map(\.y).max()!, (0..<10_000).map { sin(Double($0)) }.max()!)
    }

    // MARK: - Bad input

    func testBadInputsGiveClearErrors() {
        assertChartError(
            try Chart.line(ys: []).render(format: .png),
            "chart: series #1 is empty; give at least one point")
        assertChartError(
            try Chart.line(xs: [1, 2, 3], ys: [1, 2], name: "loss").render(format: .png),
            "chart: series 'loss' has 3 x values but 2 y values; they must have the same length")
        assertChartError(
            try Chart.line(ys: [.nan, .nan, .infinity], name: "loss").render(format: .svg),
            "chart: series 'loss' has no finite points (all 3 have a NaN or infinite x or y)")
        var two = Chart.line(ys: [1, 2])
        two.addSeries(ys: [.nan])
        assertChartError(try two.render(format: .png), "chart: series #2 has no finite points (all 1 have a NaN or infinite x or y)")
        assertChartError(
            try Chart(kind: .scatter).render(format: .png),
            "chart: nothing to draw: the scatter chart has no series")

        var log = Chart.line(ys: [0, -1, .nan])
        log.logY = true
        assertChartError(
            try log.render(format: .png),
            "chart: the log-scale y axis has nothing to draw: no series has a finite y value above 0 (values ≤ 0 are skipped on a log axis)")

        assertChartError(
            try Chart.histogram(values: []).render(format: .png),
            "chart: series #1 is empty; give at least one sample")
        assertChartError(
            try Chart.histogram(values: [.nan, .nan]).render(format: .png),
            "chart: series #1 has no finite samples (all 2 are NaN or infinite)")
        assertChartError(
            try Chart.histogram(values: [1, 2], bins: 0).render(format: .png),
            "chart: a histogram needs 1…10000 bins; got 0")
        assertChartError(
            try Chart.bar(labels: ["a", "b"], heights: [1, 2, 3]).render(format: .png),
            "chart: 2 bar labels for 3 bars; give one label per bar")

        assertChartError(
            try Chart.heatmap([]).render(format: .png),
            "chart: the heatmap is empty (0×0); give at least one row and one column")
        assertChartError(
            try Chart.heatmap([[1, 2, 3], [4, 5]]).render(format: .png),
            "chart: heatmap rows have different lengths (3, 2); every row must have 3 values")
        assertChartError(
            try Chart.heatmap(values: [1, 2, 3, 4, 5], rows: 2, cols: 3).render(format: .png),
            "chart: the heatmap has 5 values but 2×3 = 6 cells")
        assertChartError(
            try Chart.heatmap([[.nan, .nan]]).render(format: .png),
            "chart: the heatmap has no finite values (all 2 cells are NaN or infinite)")
        assertChartError(
            try Chart.heatmap([[1], [2]], rowLabels: ["a"]).render(format: .png),
            "chart: the heatmap has 1 row labels for 2 rows; give one per row or none")
        assertChartError(
            try Chart(kind: .heatmap).render(format: .png),
            "chart: the heatmap has no cells; make it with Chart.heatmap(matrix)")

        var small = Chart.line(ys: [1, 2])
        small.width = 10
        assertChartError(
            try small.render(format: .png),
            "chart: size 10×400 pixels is out of range; width must be 100…8192 and height 80…8192")
        var smooth = Chart.line(ys: [1, 2])
        smooth.smoothing = 1
        assertChartError(
            try smooth.render(format: .png),
            "chart: smoothing must be at least 0 and below 1 (0 = off, 0.9 = strong); got 1.0")
    }

    // MARK: - Performance

    func testHundredThousandPointsRenderFast() throws {
        let n = 100_000
        let ys: [Double] = (0..<n).map { (i: Int) -> Double in
            let x = Double(i)
            return 2 * exp(-x / 20_000) + 0.3 * sin(x * 0.37)
        }
        var chart = Chart.line(ys: ys, name: "loss")
        chart.title = "100k points"
        _ = try chart.render(format: .png)  // warm up fonts
        var start = Date()
        let png = try chart.render(format: .png)
        let pngTime = Date().timeIntervalSince(start)
        start = Date()
        let svg = try chart.render(format: .svg)
        let svgTime = Date().timeIntervalSince(start)
        chart.smoothing = 0.99
        start = Date()
        _ = try chart.render(format: .png)
        let smoothTime = Date().timeIntervalSince(start)
        let scatter = Chart.scatter(xs: ys, ys: ys.reversed())
        start = Date()
        _ = try scatter.render(format: .png)
        let scatterTime = Date().timeIntervalSince(start)
        print(
            String(
                format: "chart timing, 100k points: line png %.3f s, svg %.3f s (%d bytes), smoothed png %.3f s, scatter png %.3f s",
                pngTime, svgTime, svg.count, smoothTime, scatterTime))
        // A guard against quadratic drawing on a loaded machine, not a speed target.
        let limit = 15.0
        XCTAssertLessThan(pngTime, limit)
        XCTAssertLessThan(svgTime, limit)
        XCTAssertLessThan(smoothTime, limit)
        XCTAssertLessThan(scatterTime, limit)
        XCTAssertGreaterThan(png.count, 1000)
        XCTAssertLessThan(svg.count, 400_000, "decimation keeps the SVG small")
    }

    // MARK: - Helpers

    private func be32(_ bytes: [UInt8], _ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }

    private func assertChartError(_ expression: @autoclosure () throws -> Any, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertTrue(error is ChartError, "\(type(of: error))", file: file, line: line)
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    struct SVGDocument {
        var root: String?
        var attributes: [String: String] = [:]
        var texts: Set<String> = []
        var title: String?
        var elementCount = 0
    }

    private func parseSVG(_ svg: [UInt8]) throws -> SVGDocument {
        let parser = XMLParser(data: Data(svg))
        let collector = ChartSVGCollector()
        parser.delegate = collector
        guard parser.parse() else {
            XCTFail("SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "?")")
            return SVGDocument()
        }
        return collector.document
    }
}

private final class ChartSVGCollector: NSObject, XMLParserDelegate {
    var document = ChartTests.SVGDocument()
    private var current: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        document.elementCount += 1
        if document.root == nil { document.root = name; document.attributes = attributes }
        if name == "text" || name == "title" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard let c = current else { return }
        if name == "text" { document.texts.insert(c) }
        if name == "title" { document.title = c }
        current = nil
    }
}

/// A PNG read back through cairo (ARGB32, premultiplied; charts are opaque).
struct DecodedPNG {
    struct Pixel {
        var r: Int, g: Int, b: Int
        var max: Int { Swift.max(r, g, b) }
        var saturation: Int { Swift.max(r, g, b) - Swift.min(r, g, b) }
        func near(_ c: ChartColor, tolerance: Int = 40) -> Bool {
            abs(r - Int(c.red * 255)) <= tolerance && abs(g - Int(c.green * 255)) <= tolerance && abs(b - Int(c.blue * 255)) <= tolerance
        }
    }

    let width: Int
    let height: Int
    private let pixels: [UInt32]

    private final class Reader {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    init?(_ png: [UInt8]) {
        let reader = Reader(png)
        let read: cairo_read_func_t = { closure, data, length in
            let r = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
            let n = Int(length)
            guard r.offset + n <= r.bytes.count, let data else { return CAIRO_STATUS_READ_ERROR }
            r.bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress! + r.offset, count: n) }
            r.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = withExtendedLifetime(reader, { cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque()) })
        else { return nil }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return nil }
        var out = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride)
            for x in 0..<width { out[y * width + x] = row.load(fromByteOffset: x * 4, as: UInt32.self) }
        }
        pixels = out
    }

    func pixel(_ x: Int, _ y: Int) -> Pixel {
        let v = pixels[y * width + x]
        return Pixel(r: Int((v >> 16) & 0xFF), g: Int((v >> 8) & 0xFF), b: Int(v & 0xFF))
    }

    func count(x: Range<Int>, y: Range<Int>, where predicate: (Pixel) -> Bool) -> Int {
        var n = 0
        for yy in y.clamped(to: 0..<height) {
            for xx in x.clamped(to: 0..<width) where predicate(pixel(xx, yy)) { n += 1 }
        }
        return n
    }
}
