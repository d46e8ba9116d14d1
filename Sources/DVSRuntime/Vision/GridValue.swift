import DVSLang
import DVSTensor
import DVSVision

/// A patch grid over an image: `grid.rows grid.cols` (visual tokens after
/// merging), `grid.tokens`, `grid.patch_rows grid.patch_cols`, `grid.regions`,
/// `grid.merge_order`; methods `grid.region(i)`, `grid.index(r, c)`,
/// `grid.position(i)`, `grid.patches()` (the tensor the vision encoder consumes).
final class GridValue: DVSObject {
    let grid: PatchGrid
    let image: Image?
    init(_ grid: PatchGrid, image: Image?) {
        self.grid = grid
        self.image = image
    }

    var typeName: String { "grid" }
    var summary: String {
        "<grid \(grid.patchRows)×\(grid.patchCols) patches of \(grid.patch) px → \(grid.tokenRows)×\(grid.tokenCols) tokens (merge \(grid.merge))\(grid.isPadded ? ", padded to \(grid.paddedWidth)×\(grid.paddedHeight)" : "")>"
    }
    /// Properties; the methods (`grid.region(i)`) are the "grid" method table.
    var memberNames: [String] { ["rows", "cols", "tokens", "patch_rows", "patch_cols", "patch", "merge", "regions", "merge_order"] }

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
        default: return nil
        }
    }
}

extension Arguments {
    /// A patch grid argument.
    func grid(_ i: Int) throws(NativeError) -> GridValue { try object(i, as: GridValue.self, "grid") }
}
