import DVSLang
import DVSTensor
import DVSVision

/// Qwen2-VL's image preprocessing, exactly as Hugging Face transformers does
/// it (docs/INTEROP.md, "Qwen2-VL image grids").
enum Qwen2VLLibrary {
    private static let defaults = Qwen2VLGrid.Settings()
    private static let side = ParameterType.whole(in: 1...Image.maxSide)
    private static let pixels = ParameterType.whole(atLeast: 1)

    static let functions: [NativeFunction] = [
        NativeFunction(
            "qwen2vl_grid",
            [
                .init("img", .image),
                .init("min_pixels", pixels, default: .number(Double(defaults.minPixels))),
                .init("max_pixels", pixels, default: .number(Double(defaults.maxPixels))),
            ],
            returns: "grid",
            help:
                "Qwen2-VL's image grid, as transformers' Qwen2-VL image processor makes it: the image becomes 8-bit RGB (alpha over white), is resized to smart_resize's size (sides multiples of 28, min_pixels…max_pixels pixels) with Pillow's bicubic filter, and is cut into 14-px patches merged 2×2 into image tokens. The grid's tokens are the model's <|image_pad|> tokens in order (use it with dvsft_labels and overlay; boxes stay in the source image's pixels). Members: grid_thw ([1, h, w] in patches), image_tokens, pixel_values (tensor [h·w, 1176], rows in merge order, values (C, T, 14, 14) CLIP-normalized), source_size, resized_size ([width, height]), scale ([x, y] = resized / source), image (the resized image)."
        ) { a in
            let img = try a.image(0)
            let settings = Qwen2VLGrid.Settings(minPixels: try a.int(1), maxPixels: try a.int(2))
            let grid: GridValue = try libraryCall { () throws(VisionError) in
                let q = try Qwen2VLGrid(sourceWidth: img.width, sourceHeight: img.height, settings: settings)
                return try GridValue(qwen: q, resized: try q.resized(img))
            }
            return .object(grid)
        },
        NativeFunction(
            "smart_resize",
            [
                .init("height", side), .init("width", side),
                .init("factor", side, default: .number(Double(defaults.patch * defaults.merge))),
                .init("min_pixels", pixels, default: .number(Double(defaults.minPixels))),
                .init("max_pixels", pixels, default: .number(Double(defaults.maxPixels))),
            ],
            returns: "list",
            help:
                "Qwen2-VL's resize rule (transformers' smart_resize): [height, width] rounded to multiples of factor (Python's round, half to even), scaled down (floor) to at most max_pixels or up (ceil) to at least min_pixels pixels. An aspect ratio over 200 is an error."
        ) { a in
            let h = try a.int(0), w = try a.int(1), f = try a.int(2), lo = try a.int(3), hi = try a.int(4)
            let size = try libraryCall { () throws(VisionError) in try SmartResize.size(height: h, width: w, factor: f, minPixels: lo, maxPixels: hi) }
            return .list([.number(Double(size.height)), .number(Double(size.width))])
        },
    ]
}
