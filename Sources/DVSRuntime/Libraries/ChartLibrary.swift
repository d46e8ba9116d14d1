import DVSLang
import DVSRender
import DVSTensor
import Foundation

/// Charts drawn with Cairo: line plots (several series, log y, EMA smoothing),
/// scatter, bar, histogram and heatmap.
enum ChartLibrary {
    /// Numbers from a list, range or tensor.
    static func numbers(_ v: Value, _ what: String) throws(NativeError) -> [Double] {
        switch v {
        case .object(let o as TensorValue): return try tensorValues(o.tensor).map(Double.init)
        case .range(let r):
            guard r.count <= 10_000_000 else { throw NativeError("\(what): \(r.count) points is too many to plot") }
            return (0..<r.count).map { r.element($0) }
        case .list(let l):
            var out: [Double] = []
            out.reserveCapacity(l.items.count)
            for item in l.items {
                guard case .number(let n) = item else { throw NativeError("\(what): expected numbers, got \(item.typeName)") }
                out.append(n)
            }
            return out
        default: throw NativeError("\(what): expected a list of numbers or a tensor, got \(v.typeName)")
        }
    }

    /// (xs, ys) from `f(ys)` or `f(xs, ys)`: xs default to 0, 1, 2, …
    static func points(_ a: Arguments, _ first: Int, _ second: Int) throws(NativeError) -> ([Double], [Double]) {
        if a.isNil(second) {
            let ys = try numbers(a[first], a.function.name)
            return (ys.indices.map(Double.init), ys)
        }
        return (try numbers(a[first], a.function.name), try numbers(a[second], a.function.name))
    }

    static let common: [NativeFunction.Parameter] = [
        .init("title", .string, default: .string("")), .init("xlabel", .string, default: .string("")),
        .init("ylabel", .string, default: .string("")),
    ]

    static func decorate(_ chart: inout Chart, _ a: Arguments, from i: Int) throws(NativeError) {
        chart.title = try a.string(i)
        chart.xlabel = try a.string(i + 1)
        chart.ylabel = try a.string(i + 2)
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "plot",
            [
                .init("xs_or_ys", .oneOf([.list, .tensor])), .init("ys", .oneOf([.list, .tensor]), default: .null),
                .init("label", .string, default: .string("")),
            ] + common
                + [.init("log_y", .bool, default: .bool(false)), .init("smooth", .number, default: .number(0))],
            returns: "chart",
            help:
                "A line chart: plot(ys) or plot(xs, ys); several series with plot([{y: a, label: \"train\"}, {x: xs, y: b, label: \"val\"}]) or chart.add(...). log_y for a log-scale y axis; smooth (0…1, TensorBoard's convention: 0.9 is strong) draws an EMA over the faded raw line. NaN/inf points are skipped (the line breaks)."
        ) { a in
            var chart: Chart
            if case .list(let l) = a[0], let first = l.items.first, case .record = first {
                chart = Chart(kind: .line)
                for (k, item) in l.items.enumerated() {
                    guard case .record(let r) = item, let y = r["y"] else {
                        throw NativeError("plot: series \(k) must be a record with y (and optionally x, label)")
                    }
                    let ys = try numbers(y, "plot")
                    let xs = try r["x"].map { v throws(NativeError) in try numbers(v, "plot") } ?? ys.indices.map(Double.init)
                    let label: String
                    if case .string(let s)? = r["label"] { label = s } else { label = "" }
                    chart.addSeries(name: label, xs: xs, ys: ys)
                }
            } else {
                let (xs, ys) = try points(a, 0, 1)
                chart = .line(xs: xs, ys: ys, name: try a.string(2))
            }
            try decorate(&chart, a, from: 3)
            chart.logY = try a.bool(6)
            chart.smoothing = try a.number(7)
            return ChartValue.wrap(chart)
        },
        NativeFunction(
            "scatter",
            [.init("xs", .oneOf([.list, .tensor])), .init("ys", .oneOf([.list, .tensor])), .init("label", .string, default: .string(""))] + common,
            returns: "chart", help: "A scatter chart of points (xs[i], ys[i])."
        ) { a in
            var chart = Chart.scatter(xs: try numbers(a[0], "scatter"), ys: try numbers(a[1], "scatter"), name: try a.string(2))
            try decorate(&chart, a, from: 3)
            return ChartValue.wrap(chart)
        },
        NativeFunction(
            "bar", [.init("labels", .list), .init("heights", .oneOf([.list, .tensor])), .init("label", .string, default: .string(""))] + common,
            returns: "chart", help: "A bar chart: bar([\"sft\", \"dvsft\"], [0.61, 0.74]) (labels may also be numbers)."
        ) { a in
            let heights = try numbers(a[1], "bar")
            var chart: Chart
            let items = try a.list(0).items
            if items.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
                chart = .bar(labels: items.map(\.printed), heights: heights, name: try a.string(2))
            } else {
                chart = .bar(xs: try numbers(a[0], "bar"), heights: heights, name: try a.string(2))
            }
            try decorate(&chart, a, from: 3)
            return ChartValue.wrap(chart)
        },
        NativeFunction(
            "hist",
            [.init("values", .oneOf([.list, .tensor])), .init("bins", .whole, default: .number(30)), .init("label", .string, default: .string(""))] + common,
            returns: "chart", help: "A histogram of values in `bins` equal bins (NaN and inf ignored)."
        ) { a in
            var chart = Chart.histogram(values: try numbers(a[0], "hist"), bins: try a.int(1), name: try a.string(2))
            try decorate(&chart, a, from: 3)
            return ChartValue.wrap(chart)
        },
        NativeFunction(
            "heatmap",
            [
                .init("values", .oneOf([.tensor, .list])), .init("row_labels", .list, default: .list([])),
                .init("col_labels", .list, default: .list([])),
            ] + common,
            returns: "chart",
            help: "A heatmap of a 2-D tensor or nested list (row 0 on top, viridis colors, a color bar): attention maps, per-token label maps."
        ) { a in
            let t = try a.tensor(0)
            let matrix = t.rank == 1 ? try libraryCall { () throws(TensorError) in try t.unsqueeze(0) } : t
            guard matrix.rank == 2 else { throw NativeError("heatmap: needs a 2-D tensor, got shape \(shapeText(t.shape))") }
            let rows = (try a.list(1)).items.map(\.printed), cols = (try a.list(2)).items.map(\.printed)
            var chart = Chart.heatmap(
                values: try tensorValues(matrix).map(Double.init), rows: matrix.shape[0], cols: matrix.shape[1],
                rowLabels: rows, colLabels: cols)
            try decorate(&chart, a, from: 3)
            return ChartValue.wrap(chart)
        },
    ]

    static let saver = SaveLoadLibrary.Saver(ChartValue.self, what: "a chart (.png, .svg)") { o, path in
        try libraryCall { () throws(ChartError) in try o.chart.write(to: path) }
    }
}
