import DVSLang
import DVSVision

enum BoxLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction(
            "box",
            [
                .init("x", .number), .init("y", .number), .init("w", .number), .init("h", .number),
                .init("text", .string, default: .string("")), .init("conf", .number, default: .number(100)),
                .init("level", .string, default: .string("word")),
            ],
            returns: "box",
            help: "A pixel box: x, y of the top-left corner, width and height (right/bottom edges exclusive), with optional text, confidence and level."
        ) { a in
            let x = try a.number(0), y = try a.number(1), w = try a.number(2), h = try a.number(3)
            guard [x, y, w, h].allSatisfy(\.isFinite) else {
                throw NativeError("box: x, y, width and height must be finite numbers, got \([x, y, w, h].map(formatNumber).joined(separator: ", "))")
            }
            guard w >= 0, h >= 0 else { throw NativeError("box: width and height must be non-negative, got \(formatNumber(w))×\(formatNumber(h))") }
            return BoxValue.wrap(
                Box(
                    x: x, y: y, w: w, h: h, text: try a.string(4),
                    confidence: try a.number(5), level: try a.string(6)))
        }
    ]
}
