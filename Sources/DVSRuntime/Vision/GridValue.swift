import DVSLang
import DVSTensor
import DVSVision

/// A patch grid over an image: `grid.rows grid.cols` (visual tokens after
/// merging), `grid.tokens`, `grid.patch_rows grid.patch_cols`, `grid.regions`,
/// `grid.merge_order`; methods `grid.region(i)`, `grid.index(r, c)`,
/// `grid.position(i)`, `grid.patches()` (the tensor the vision encoder consumes).
///
/// A Qwen2-VL grid (`qwen2vl_grid`) is the same value over the resized image,
/// with Qwen2-VL's members on top (`grid_thw`, `image_tokens`,
/// `pixel_values`, sizes and scale): its tokens are the model's image tokens,
/// so labels and overlays work unchanged. Word boxes are always given in the
/// source image's pixels; `gridBoxes` maps them onto the grid's image.
final class GridValue: DVSObject {
    let grid: PatchGrid
    /// The image the grid cuts (for a Qwen2-VL grid, the resized RGB image).
    let image: Image?
    /// For a Qwen2-VL grid: its geometry and the resized 8-bit RGB image.
    let qwen: (grid: Qwen2VLGrid, resized: ByteImage)?

    init(_ grid: PatchGrid, image: Image?) {
        self.grid = grid
        self.image = image
        self.qwen = nil
    }

    init(qwen: Qwen2VLGrid, resized: ByteImage) throws(VisionError) {
        self.grid = qwen.grid
        self.image = try resized.image()
        self.qwen = (qwen, resized)
    }

    var typeName: String { "grid" }
    var summary: String {
        if let q = qwen?.grid {
            return
                "<qwen2vl grid \(q.gridTHW.map(String.init).joined(separator: "×")) patches, \(q.imageTokens) image tokens (\(q.sourceWidth)×\(q.sourceHeight) resized to \(q.resizedWidth)×\(q.resizedHeight))>"
        }
        return
            "<grid \(grid.patchRows)×\(grid.patchCols) patches of \(grid.patch) px → \(grid.tokenRows)×\(grid.tokenCols) tokens (merge \(grid.merge))\(grid.isPadded ? ", padded to \(grid.paddedWidth)×\(grid.paddedHeight)" : "")>"
    }
    /// Properties; the methods (`grid.region(i)`) are the "grid" method table.
    var memberNames: [String] {
        let common = ["rows", "cols", "tokens", "patch_rows", "patch_cols", "patch", "merge", "regions", "merge_order"]
        return qwen == nil ? common : common + ["grid_thw", "image_tokens", "pixel_values", "source_size", "resized_size", "scale", "image"]
    }

    func member(_ name: String) throws(NativeError) -> Value? {
        let g = grid
        switch name {
        case "rows": return .number(Double(g.tokenRows))
        case "cols": return .number(Double(g.tokenCols))
        case "tokens": return .number(Double(g.tokenCount))
        case "patch_rows": return .number(Double(g.patchRows))
        case "patch_cols": return .number(Double(g.patchCols))
        case "patch": return .number(Double(g.patch))
        case "merge": return .number(Double(g.merge))
        case "regions": return .list(g.regions.map(BoxValue.wrap))
        case "merge_order": return .list(g.mergeOrder.map { .number(Double($0)) })
        default: break
        }
        guard let (q, resized) = qwen else { return nil }
        switch name {
        case "grid_thw": return numbers(q.gridTHW)
        case "image_tokens": return .number(Double(q.imageTokens))
        case "pixel_values": return try TensorValue.result { () throws(VisionError) in try q.pixelValues(resized) }
        case "source_size": return numbers([q.sourceWidth, q.sourceHeight])
        case "resized_size": return numbers([q.resizedWidth, q.resizedHeight])
        case "scale": return .list([.number(q.scaleX), .number(q.scaleY)])
        case "image": return image.map(ImageValue.wrap)
        default: return nil
        }
    }

    private func numbers(_ xs: [Int]) -> Value { .list(xs.map { .number(Double($0)) }) }

    /// Word boxes (in the source image's pixels) in the pixels of the image
    /// the grid cuts: scaled for a Qwen2-VL grid, unchanged otherwise.
    func gridBoxes(_ boxes: [Box]) -> [Box] {
        guard let q = qwen?.grid else { return boxes }
        return boxes.map(q.resizedBox)
    }

    /// For drawing on `img`: the token regions and the map for word boxes
    /// (given in source pixels) in `img`'s pixels. A Qwen2-VL grid draws on
    /// its source image or on the resized image (`grid.image`).
    func drawing(on img: Image, _ what: String) throws(NativeError) -> (regions: [Box], words: (Box) -> Box) {
        guard let q = qwen?.grid else { return (grid.regions, { $0 }) }
        if img.width == q.sourceWidth && img.height == q.sourceHeight {
            return (grid.regions.map(q.sourceBox), { $0 })
        }
        if img.width == q.resizedWidth && img.height == q.resizedHeight {
            return (grid.regions, q.resizedBox)
        }
        throw NativeError(
            "\(what): the image is \(img.width)×\(img.height) but this Qwen2-VL grid is for a \(q.sourceWidth)×\(q.sourceHeight) image resized to \(q.resizedWidth)×\(q.resizedHeight) (width×height); give either"
        )
    }
}

extension Arguments {
    /// A patch grid argument.
    func grid(_ i: Int) throws(NativeError) -> GridValue { try object(i, as: GridValue.self, "grid") }
}
