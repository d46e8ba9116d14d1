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
        return
            "Box(\(formatNumber(box.x)), \(formatNumber(box.y)), \(formatNumber(box.w))×\(formatNumber(box.h))\(text)\(box.confidence < 100 ? " conf \(formatNumber((box.confidence * 10).rounded() / 10))" : ""))"
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
