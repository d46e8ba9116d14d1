import DVSLang
import DVSTensor
import DVSVision

/// An image as a DVS value: `img.w img.h img.channels`, `img.tensor()`, the
/// image operations as methods, `show(img)`, `save(img, "x.png")`.
final class ImageValue: DVSObject {
    let image: Image
    init(_ image: Image) { self.image = image }

    static func wrap(_ image: Image) -> Value { .object(ImageValue(image)) }

    var typeName: String { "image" }
    var summary: String {
        "<image \(image.width)×\(image.height) \(image.channels == 1 ? "gray" : image.channels == 3 ? "rgb" : "rgba")>"
    }
    /// Properties; the methods (`img.crop(…)`) are the "image" method table.
    var memberNames: [String] { ["w", "h", "channels"] }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "w": return .number(Double(image.width))
        case "h": return .number(Double(image.height))
        case "channels": return .number(Double(image.channels))
        default: return nil
        }
    }
}

extension Arguments {
    /// An image argument.
    func image(_ i: Int) throws(NativeError) -> Image { try object(i, as: ImageValue.self, "image").image }
}
