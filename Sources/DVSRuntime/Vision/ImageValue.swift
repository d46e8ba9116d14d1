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
    var memberNames: [String] { ["w", "h", "channels", "tensor"] + ImageMethods.table.keys.sorted() }

    func member(_ name: String) throws(NativeError) -> Value? {
        switch name {
        case "w": return .number(Double(image.width))
        case "h": return .number(Double(image.height))
        case "channels": return .number(Double(image.channels))
        default: return ImageMethods.table[name].map { .function($0.bound(to: .object(self))) }
        }
    }
}

extension Arguments {
    func image(_ i: Int) throws(NativeError) -> Image {
        if case .object(let o as ImageValue) = self[i] { return o.image }
        throw bad(i, "image")
    }
}

/// Image methods: natives whose first parameter is the image (`img.crop(…)`);
/// also globals (`crop(img, …)`).
enum ImageMethods {
    static let all: [NativeFunction] = [
        NativeFunction("tensor_of", [.init("img", "image")], returns: "tensor", help: "The image as a tensor [channels, height, width].") { a in
            TensorValue.wrap(try a.image(0).tensor())
        },
    ]

    static var table: [String: NativeFunction] {
        var t = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        t["tensor"] = t["tensor_of"]
        return t
    }
}
