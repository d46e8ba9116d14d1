import DVSLang
import DVSRender
import DVSTensor
import Foundation

/// Chart methods: natives whose first parameter is the chart (`c.add(ys)`).
enum ChartMethods {
    static let all: [NativeFunction] = [
        NativeFunction(
            "add",
            [
                .init("chart", .chart), .init("xs_or_ys", .oneOf([.list, .tensor])), .init("ys", .oneOf([.list, .tensor]), default: .null),
                .init("label", .string, default: .string("")),
            ],
            returns: "chart", help: "A copy of the chart with one more series: add(ys) or add(xs, ys)."
        ) { a in
            let base = try a.object(0, as: ChartValue.self, "chart").chart
            let (xs, ys) = try ChartLibrary.points(a, 1, 2)
            return ChartValue.wrap(base.adding(name: try a.string(3), xs: xs, ys: ys))
        }
    ]
}
