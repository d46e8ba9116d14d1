/// An axis-aligned pixel box, from OCR or from drawing: x, y (top-left),
/// width and height in pixels, with the text it holds, a confidence (0–100;
/// 100 for drawn text) and a level ("word" or "line"). Right and bottom
/// edges are exclusive: a box covers columns x..<x+w and rows y..<y+h.
public struct Box: Equatable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public var w: Double
    public var h: Double
    public var text: String
    public var confidence: Double
    public var level: String

    public init(x: Double, y: Double, w: Double, h: Double, text: String = "", confidence: Double = 100, level: String = "word") {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
        self.text = text
        self.confidence = confidence
        self.level = level
    }

    public var area: Double { Swift.max(0, w) * Swift.max(0, h) }

    /// The overlapping part of two boxes (zero-sized when they do not overlap).
    public func intersection(_ other: Box) -> Box {
        let x0 = Swift.max(x, other.x), y0 = Swift.max(y, other.y)
        let x1 = Swift.min(x + w, other.x + other.w), y1 = Swift.min(y + h, other.y + other.h)
        return Box(x: x0, y: y0, w: Swift.max(0, x1 - x0), h: Swift.max(0, y1 - y0), text: text, confidence: confidence, level: level)
    }

    /// Intersection over union, in [0, 1].
    public func iou(_ other: Box) -> Double {
        let i = intersection(other).area
        let u = area + other.area - i
        return u > 0 ? i / u : 0
    }

    /// Whether the point (px, py) lies inside the box.
    public func contains(x px: Double, y py: Double) -> Bool {
        px >= x && px < x + w && py >= y && py < y + h
    }
}
