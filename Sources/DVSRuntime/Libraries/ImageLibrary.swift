import DVSLang
import DVSTensor
import DVSVision

enum ImageLibrary {
    /// The images of a list argument declared `.list(of: .image)`.
    static func images(_ a: Arguments, _ i: Int) throws(NativeError) -> [Image] {
        var out: [Image] = []
        for item in try a.list(i).items {
            guard case .object(let o as ImageValue) = item else { throw a.unexpected(i) }
            out.append(o.image)
        }
        return out
    }

    static let functions: [NativeFunction] =
        ImageMethods.all.filter { $0.name != "tensor" } + [
            NativeFunction(
                "load_image", [.init("path", .string)], returns: "image",
                help: "Reads a PNG of any color type and bit depth: gray stays gray, color becomes RGB, transparency RGBA; values in [0, 1]."
            ) { a in
                let path = try a.string(0)
                return ImageValue.wrap(try libraryCall { () throws(VisionError) in try Image.load(path: path) })
            },
            NativeFunction(
                "image", [.init("t", .tensor)], returns: "image",
                help: "An image from a tensor [H, W] (gray) or [C, H, W] with C = 1, 3 or 4; values are clamped to [0, 1]."
            ) { a in
                let t = try a.tensor(0)
                return ImageValue.wrap(try libraryCall { () throws(VisionError) in try Image(tensor: t) })
            },
            NativeFunction(
                "blank",
                [
                    .init("w", .whole), .init("h", .whole), .init("channels", .whole, default: .number(1)),
                    .init("value", .number, default: .number(0)),
                ],
                returns: "image", help: "A new image filled with value (0 = background)."
            ) { a in
                let (w, h, c, v) = (try a.int(0), try a.int(1), try a.int(2), Float(try a.number(3)))
                return ImageValue.wrap(try libraryCall { () throws(VisionError) in try Image(width: w, height: h, channels: c, fill: v) })
            },
            NativeFunction(
                "hstack", [.init("images", .list(of: .image)), .init("background", .number, default: .number(0))], returns: "image",
                help: "Images side by side (top-aligned), for comparing."
            ) { a in
                let imgs = try images(a, 0), bg = Float(try a.number(1))
                return ImageValue.wrap(try libraryCall { () throws(VisionError) in try Image.hstack(imgs, background: bg) })
            },
            NativeFunction(
                "vstack", [.init("images", .list(of: .image)), .init("background", .number, default: .number(0))], returns: "image",
                help: "Images one above the other (left-aligned)."
            ) { a in
                let imgs = try images(a, 0), bg = Float(try a.number(1))
                return ImageValue.wrap(try libraryCall { () throws(VisionError) in try Image.vstack(imgs, background: bg) })
            },
        ]

    static let saver = SaveLoadLibrary.Saver(ImageValue.self, what: "an image (.png)") { o, path in
        guard path.lowercased().hasSuffix(".png") else { throw NativeError("save: images are saved as .png, got '\(path)'") }
        try libraryCall { () throws(VisionError) in try o.image.savePNG(path: path) }
    }
}
