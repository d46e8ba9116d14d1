import DVSLang
import DVSTensor
import DVSVision

/// Image methods: natives whose first parameter is the image (`img.crop(…)`);
/// those whose names are free are also globals (`crop(img, …)`).
enum ImageMethods {
    typealias Op = (Image) throws(TensorError) -> Image

    private static func op(
        _ name: String, _ params: [NativeFunction.Parameter], _ help: String,
        _ body: @escaping (Image, Arguments) throws -> Image
    ) -> NativeFunction {
        NativeFunction(name, [.init("img", .image)] + params, returns: "image", help: help) { a in
            ImageValue.wrap(try body(try a.image(0), a))
        }
    }

    static let all: [NativeFunction] = [
        NativeFunction("tensor", [.init("img", .image)], returns: "tensor", help: "The image as a tensor [channels, height, width] of values in [0, 1].") { a in
            TensorValue.wrap(try a.image(0).tensor())
        },
        op(
            "crop", [.init("x", .number), .init("y", .number), .init("w", .number), .init("h", .number)],
            "The region w×h at (x, y); a region outside the image is an error."
        ) { img, a in
            let (x, y, w, h) = (try a.int(1), try a.int(2), try a.int(3), try a.int(4))
            return try libraryCall { () throws(VisionError) in try img.crop(x: x, y: y, w: w, h: h) }
        },
        op(
            "pad",
            [
                .init("left", .number), .init("top", .number, default: .null), .init("right", .number, default: .null),
                .init("bottom", .number, default: .null), .init("value", .number, default: .number(0)),
            ],
            "Adds borders (pad(img, 4) pads 4 on every side) filled with value (0 = background)."
        ) { img, a in
            let l = try a.int(1)
            let t = try a.optionalInt(2) ?? l, r = try a.optionalInt(3) ?? l, b = try a.optionalInt(4) ?? t
            let v = Float(try a.number(5))
            return try libraryCall { () throws(VisionError) in try img.pad(left: l, top: t, right: r, bottom: b, value: v) }
        },
        op(
            "resize", [.init("w", .number, default: .null), .init("h", .number, default: .null)],
            "Bilinear resize (half-pixel centers); give w, h or both — one keeps the aspect ratio."
        ) { img, a in
            let w0 = try a.optionalInt(1), h0 = try a.optionalInt(2)
            guard w0 != nil || h0 != nil else { throw NativeError("resize: give w:, h: or both") }
            let w = w0 ?? Swift.max(1, Int((Double(img.width) * Double(h0!) / Double(img.height)).rounded()))
            let h = h0 ?? Swift.max(1, Int((Double(img.height) * Double(w) / Double(img.width)).rounded()))
            return try libraryCall { () throws(VisionError) in try img.resized(width: w, height: h) }
        },
        op("invert", [], "1 − value for each color channel (dark-on-light scans become ink = 1 on 0).") { img, _ in img.inverted() },
        op("to_gray", [], "Rec. 601 luma (transparent pixels composited onto white).") { img, _ in img.grayscale() },
        op("normalize", [], "Stretches values so the darkest becomes 0 and the brightest 1.") { img, _ in img.normalized() },
        op(
            "add_noise", [.init("std", .number), .init("seed", .number, default: .null)],
            "Adds Gaussian noise (clamped to [0, 1]); with seed: repeatable, else from the session generator."
        ) { img, a in
            let std = Float(try a.number(1))
            if a.isNil(2) { return try libraryCall { () throws(VisionError) in try img.addingNoise(std: std, using: RandomGenerator.shared) } }
            let seed = UInt64(bitPattern: Int64(try a.int(2)))
            return try libraryCall { () throws(VisionError) in try img.addingNoise(std: std, seed: seed) }
        },
        op(
            "blur", [.init("radius", .number), .init("sigma", .number, default: .null)],
            "Separable Gaussian blur over 2·radius+1 pixels (sigma defaults to OpenCV's rule)."
        ) { img, a in
            let r = try a.int(1), sigma = a.isNil(2) ? nil : Float(try a.number(2))
            return try libraryCall { () throws(VisionError) in try img.blurred(radius: r, sigma: sigma) }
        },
        op("contrast", [.init("factor", .number)], "Scales values around 0.5 by factor (clamped to [0, 1]).") { img, a in
            let f = Float(try a.number(1))
            return try libraryCall { () throws(VisionError) in try img.contrast(factor: f) }
        },
    ]

}
