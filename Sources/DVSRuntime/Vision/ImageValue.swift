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

/// Image methods: natives whose first parameter is the image (`img.crop(…)`);
/// those whose names are free are also globals (`crop(img, …)`).
enum ImageMethods {
    typealias Op = (Image) throws(TensorError) -> Image

    private static func op(_ name: String, _ params: [NativeFunction.Parameter], _ help: String,
                           _ body: @escaping (Image, Arguments) throws -> Image) -> NativeFunction {
        NativeFunction(name, [.init("img", "image")] + params, returns: "image", help: help) { a in
            ImageValue.wrap(try body(try a.image(0), a))
        }
    }

    static let all: [NativeFunction] = [
        NativeFunction("tensor", [.init("img", "image")], returns: "tensor", help: "The image as a tensor [channels, height, width] of values in [0, 1].") { a in
            TensorValue.wrap(try a.image(0).tensor())
        },
        op("crop", [.init("x", "number"), .init("y", "number"), .init("w", "number"), .init("h", "number")],
           "The region w×h at (x, y); a region outside the image is an error.") { img, a in
            let (x, y, w, h) = (try a.int(1), try a.int(2), try a.int(3), try a.int(4))
            return try tensorOp { () throws(TensorError) in try img.crop(x: x, y: y, w: w, h: h) }
        },
        op("pad", [.init("left", "number"), .init("top", "number", default: .null), .init("right", "number", default: .null),
                   .init("bottom", "number", default: .null), .init("value", "number", default: .number(0))],
           "Adds borders (pad(img, 4) pads 4 on every side) filled with value (0 = background).") { img, a in
            let l = try a.int(1)
            let t = try a.optionalInt(2) ?? l, r = try a.optionalInt(3) ?? l, b = try a.optionalInt(4) ?? t
            let v = Float(try a.number(5))
            return try tensorOp { () throws(TensorError) in try img.pad(left: l, top: t, right: r, bottom: b, value: v) }
        },
        op("resize", [.init("w", "number", default: .null), .init("h", "number", default: .null)],
           "Bilinear resize (half-pixel centers); give w, h or both — one keeps the aspect ratio.") { img, a in
            let w0 = try a.optionalInt(1), h0 = try a.optionalInt(2)
            guard w0 != nil || h0 != nil else { throw NativeError("resize: give w:, h: or both") }
            let w = w0 ?? Swift.max(1, Int((Double(img.width) * Double(h0!) / Double(img.height)).rounded()))
            let h = h0 ?? Swift.max(1, Int((Double(img.height) * Double(w) / Double(img.width)).rounded()))
            return try tensorOp { () throws(TensorError) in try img.resized(width: w, height: h) }
        },
        op("invert", [], "1 − value for each color channel (dark-on-light scans become ink = 1 on 0).") { img, _ in img.inverted() },
        op("to_gray", [], "Rec. 601 luma (transparent pixels composited onto white).") { img, _ in img.grayscale() },
        op("normalize", [], "Stretches values so the darkest becomes 0 and the brightest 1.") { img, _ in img.normalized() },
        op("add_noise", [.init("std", "number"), .init("seed", "number", default: .null)],
           "Adds Gaussian noise (clamped to [0, 1]); with seed: repeatable, else from the session generator.") { img, a in
            let std = Float(try a.number(1))
            if a.isNil(2) { return try tensorOp { () throws(TensorError) in try img.addingNoise(std: std, using: RandomGenerator.shared) } }
            let seed = UInt64(bitPattern: Int64(try a.int(2)))
            return try tensorOp { () throws(TensorError) in try img.addingNoise(std: std, seed: seed) }
        },
        op("blur", [.init("radius", "number"), .init("sigma", "number", default: .null)],
           "Separable Gaussian blur over 2·radius+1 pixels (sigma defaults to OpenCV's rule).") { img, a in
            let r = try a.int(1), sigma = a.isNil(2) ? nil : Float(try a.number(2))
            return try tensorOp { () throws(TensorError) in try img.blurred(radius: r, sigma: sigma) }
        },
        op("contrast", [.init("factor", "number")], "Scales values around 0.5 by factor (clamped to [0, 1]).") { img, a in
            let f = Float(try a.number(1))
            return try tensorOp { () throws(TensorError) in try img.contrast(factor: f) }
        },
    ]

}

enum ImageLibrary {
    static func images(_ a: Arguments, _ i: Int) throws(NativeError) -> [Image] {
        var out: [Image] = []
        for (k, item) in try a.list(i).items.enumerated() {
            guard case .object(let o as ImageValue) = item else {
                throw NativeError("\(a.function.name): item \(k) is \(item.typeName), not an image")
            }
            out.append(o.image)
        }
        return out
    }

    static let functions: [NativeFunction] = ImageMethods.all.filter { $0.name != "tensor" } + [
        NativeFunction("load_image", [.init("path", "string")], returns: "image",
                       help: "Reads a PNG of any color type and bit depth: gray stays gray, color becomes RGB, transparency RGBA; values in [0, 1].") { a in
            let path = try a.string(0)
            return ImageValue.wrap(try tensorOp { () throws(TensorError) in try Image.load(path: path) })
        },
        NativeFunction("image", [.init("t", "tensor")], returns: "image",
                       help: "An image from a tensor [H, W] (gray) or [C, H, W] with C = 1, 3 or 4; values are clamped to [0, 1].") { a in
            let t = try a.tensor(0)
            return ImageValue.wrap(try tensorOp { () throws(TensorError) in try Image(tensor: t) })
        },
        NativeFunction("blank", [.init("w", "number"), .init("h", "number"), .init("channels", "number", default: .number(1)),
                                 .init("value", "number", default: .number(0))],
                       returns: "image", help: "A new image filled with value (0 = background).") { a in
            let (w, h, c, v) = (try a.int(0), try a.int(1), try a.int(2), Float(try a.number(3)))
            return ImageValue.wrap(try tensorOp { () throws(TensorError) in try Image(width: w, height: h, channels: c, fill: v) })
        },
        NativeFunction("hstack", [.init("images", "list"), .init("background", "number", default: .number(0))], returns: "image",
                       help: "Images side by side (top-aligned), for comparing.") { a in
            let imgs = try images(a, 0), bg = Float(try a.number(1))
            return ImageValue.wrap(try tensorOp { () throws(TensorError) in try Image.hstack(imgs, background: bg) })
        },
        NativeFunction("vstack", [.init("images", "list"), .init("background", "number", default: .number(0))], returns: "image",
                       help: "Images one above the other (left-aligned).") { a in
            let imgs = try images(a, 0), bg = Float(try a.number(1))
            return ImageValue.wrap(try tensorOp { () throws(TensorError) in try Image.vstack(imgs, background: bg) })
        },
    ]

    static let saver = SaveLoadLibrary.Saver(what: "an image (.png)", accepts: { v in
        if case .object(let o) = v { return o is ImageValue }
        return false
    }, save: { value, path in
        guard case .object(let o as ImageValue) = value else { return }
        guard path.lowercased().hasSuffix(".png") else { throw NativeError("save: images are saved as .png, got '\(path)'") }
        try tensorOp { () throws(TensorError) in try o.image.savePNG(path: path) }
    })
}
