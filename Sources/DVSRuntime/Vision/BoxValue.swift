import DVSLang
import DVSVision

/// A pixel box as a DVS value: `b.x b.y b.w b.h b.text b.conf b.level`,
/// `b.area`; methods `b.iou(other)`, `b.intersection(other)`, `b.contains(x, y)`.
final class BoxValue: DVSObject {
    let box: Box
    init(_ box: Box) { self.box = box }

    static func wrap(_ box: Box) -> Value { .object(BoxValue(box)) }

    var typeName: String { "box" }
    var summary: String {
        let text = box.text.isEmpty ? "" : " \(quoteText(box.text))"
        return "Box(\(formatNumber(box.x)), \(formatNumber(box.y)), \(formatNumber(box.w))×\(formatNumber(box.h))\(text)\(box.confidence < 100 ? " conf \(formatNumber((box.confidence * 10).rounded() / 10))" : ""))"
    }
    /// Properties; the methods (`b.iou(other)`) are the "box" method table.
    var memberNames: [String] { ["x", "y", "w", "h", "text", "conf", "level", "area"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "x": return .number(box.x)
        case "y": return .number(box.y)
        case "w": return .number(box.w)
        case "h": return .number(box.h)
        case "text": return .string(box.text)
        case "conf": return .number(box.confidence)
        case "level": return .string(box.level)
        case "area": return .number(box.area)
        default: return nil
        }
    }

    private func quoteText(_ s: String) -> String { Value.string(s).repr }
}

extension Arguments {
    /// A box argument.
    func box(_ i: Int) throws(NativeError) -> Box { try object(i, as: BoxValue.self, "box").box }
}

/// Box methods: natives whose first parameter is the box (`b.iou(other)`);
/// `contains` is also the list function, which dispatches here for a box.
enum BoxMethods {
    private static let receiver = NativeFunction.Parameter("box", "box")

    static let all: [NativeFunction] = [
        NativeFunction("iou", [receiver, .init("other", "box")], returns: "number", help: "Intersection over union with another box.") { a in
            .number(try a.box(0).iou(try a.box(1)))
        },
        NativeFunction("intersection", [receiver, .init("other", "box")], returns: "box", help: "The overlapping part of two boxes.") { a in
            BoxValue.wrap(try a.box(0).intersection(try a.box(1)))
        },
        NativeFunction("contains", [receiver, .init("x", "number"), .init("y", "number")], returns: "bool",
                       help: "Whether the point lies inside the box (right and bottom edges excluded).") { a in
            .bool(try a.box(0).contains(x: try a.number(1), y: try a.number(2)))
        },
    ]
}

enum BoxLibrary {
    static let functions: [NativeFunction] = [
        NativeFunction("box", [.init("x", "number"), .init("y", "number"), .init("w", "number"), .init("h", "number"),
                               .init("text", "string", default: .string("")), .init("conf", "number", default: .number(100)),
                               .init("level", "string", default: .string("word"))],
                       returns: "box", help: "A pixel box: x, y of the top-left corner, width and height (right/bottom edges exclusive), with optional text, confidence and level.") { a in
            let x = try a.number(0), y = try a.number(1), w = try a.number(2), h = try a.number(3)
            guard [x, y, w, h].allSatisfy(\.isFinite) else {
                throw NativeError("box: x, y, width and height must be finite numbers, got \([x, y, w, h].map(formatNumber).joined(separator: ", "))")
            }
            guard w >= 0, h >= 0 else { throw NativeError("box: width and height must be non-negative, got \(formatNumber(w))×\(formatNumber(h))") }
            return BoxValue.wrap(Box(x: x, y: y, w: w, h: h, text: try a.string(4),
                                     confidence: try a.number(5), level: try a.string(6)))
        },
    ]
}
