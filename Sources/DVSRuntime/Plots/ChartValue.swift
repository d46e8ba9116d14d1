import DVSLang
import DVSRender
import DVSTensor
import Foundation

/// A chart as a DVS value: `show(c)`, `save(c, "c.png" | "c.svg")`,
/// `c.add(ys, label: "val")` (a new chart with one more series).
final class ChartValue: DVSObject {
    let chart: Chart
    init(_ chart: Chart) { self.chart = chart }

    static func wrap(_ chart: Chart) -> Value { .object(ChartValue(chart)) }

    var typeName: String { "chart" }
    var summary: String {
        let title = chart.title.isEmpty ? "" : " '\(chart.title)'"
        return
            "<\(chart.kind.rawValue) chart\(title): \(chart.kind == .heatmap ? "\(chart.matrix?.rows ?? 0)×\(chart.matrix?.cols ?? 0)" : "\(chart.series.count) series")>"
    }
    /// Properties; the methods (`c.add(…)`) are the "chart" method table.
    var memberNames: [String] { ["kind", "title", "series"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "kind": return .string(chart.kind.rawValue)
        case "title": return .string(chart.title)
        case "series": return .list(chart.series.map { .string($0.name) })
        default: return nil
        }
    }

    func render(_ format: ChartFormat) throws(NativeError) -> [UInt8] {
        try libraryCall { () throws(ChartError) in try chart.render(format: format) }
    }
}
