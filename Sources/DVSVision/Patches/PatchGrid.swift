import DVSTensor

/// How an image is cut into patches and how patches are merged into visual
/// tokens (DESIGN.md §1, §6, §8).
///
/// **Geometry.** Patches are `patch × patch` pixel squares; `merge × merge`
/// neighbouring patches form one visual token, so a token covers a
/// `tokenSide × tokenSide` region (`tokenSide = patch · merge`; 28 px for the
/// reference 14-px patches with a 2×2 merge). All coordinates are pixels with
/// the origin at the image's top-left corner, x to the right, y down.
///
/// **Padding.** An image whose width or height is not a multiple of
/// `tokenSide` is padded on the **right and bottom** with background 0 up to
/// the next multiple (`paddedWidth × paddedHeight`), so every token has all its
/// patches; nothing is ever cropped. Regions of tokens on the right/bottom edge
/// can therefore reach into the padding (they are not clipped: the encoder
/// sees those zeros as part of the token).
///
/// **Patch order.** Patches are numbered row-major over the patch grid:
/// patch `(pr, pc)` has index `pr · patchCols + pc` and covers pixels
/// `x in pc·patch ..< (pc+1)·patch`, `y in pr·patch ..< (pr+1)·patch`.
///
/// **Values in a patch.** `patches(of:)` flattens each patch channel-major,
/// then pixel row, then pixel column: element `(c · patch + py) · patch + px`
/// of patch `(pr, pc)` is pixel `(c, pr·patch + py, pc·patch + px)`. This is
/// PyTorch's `x.unfold(1, p, p).unfold(2, p, p).permute(1, 2, 0, 3, 4)
/// .reshape(rows·cols, C·p·p)` for `x` of shape `[C, H, W]`.
///
/// **Token and merge order.** Visual tokens are numbered row-major over the
/// token grid: token `(r, c)` has index `r · tokenCols + c`. Token `(r, c)`
/// is the merge of patches `(merge·r + dy, merge·c + dx)` for
/// `dy, dx in 0 ..< merge`, taken in the order dy-major then dx — for a 2×2
/// merge: top-left, top-right, bottom-left, bottom-right
/// (`mergedPatchIndices(ofToken:)`). A model merges by concatenating those
/// patch embeddings in that order: token `t`'s merged vector is
/// `concat(emb[i] for i in mergedPatchIndices(ofToken: t))`, i.e.
/// `index_select(emb, mergeOrder).reshape(tokenCount, merge·merge·D)`.
public struct PatchGrid: Equatable, Sendable {
    /// Size of the original image (before padding).
    public let imageWidth: Int
    public let imageHeight: Int
    public let channels: Int
    /// Side of a square patch in pixels.
    public let patch: Int
    /// Patches merged per side into one visual token (1 = no merging).
    public let merge: Int

    /// The image size after right/bottom padding to a multiple of `tokenSide`.
    public let paddedWidth: Int
    public let paddedHeight: Int

    /// Side of the square pixel region of one visual token (`patch · merge`).
    public var tokenSide: Int { patch * merge }
    /// Patch grid shape.
    public var patchRows: Int { paddedHeight / patch }
    public var patchCols: Int { paddedWidth / patch }
    public var patchCount: Int { patchRows * patchCols }
    /// Values in one flattened patch (`patch · patch · channels`).
    public var patchLength: Int { patch * patch * channels }
    /// Visual-token grid shape (after merging).
    public var tokenRows: Int { paddedHeight / tokenSide }
    public var tokenCols: Int { paddedWidth / tokenSide }
    public var tokenCount: Int { tokenRows * tokenCols }
    /// Whether the image needs padding.
    public var isPadded: Bool { paddedWidth != imageWidth || paddedHeight != imageHeight }

    public init(imageWidth: Int, imageHeight: Int, channels: Int = 1, patch: Int = 14, merge: Int = 2) throws(VisionError) {
        guard patch >= 1, merge >= 1 else {
            throw VisionError("patch_grid: patch and merge must be at least 1, got patch \(patch), merge \(merge)")
        }
        guard imageWidth >= 1, imageHeight >= 1, imageWidth <= Image.maxSide, imageHeight <= Image.maxSide else {
            throw VisionError("patch_grid: image size \(imageWidth)×\(imageHeight) is outside 1…\(Image.maxSide) pixels per side")
        }
        guard channels >= 1, channels <= 4 else {
            throw VisionError("patch_grid: channels must be 1…4, got \(channels)")
        }
        guard patch <= Image.maxSide, merge <= Image.maxSide, patch * merge <= Image.maxSide else {
            throw VisionError("patch_grid: a token of \(patch)×\(merge) pixels per side is larger than \(Image.maxSide)")
        }
        let side = patch * merge
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.channels = channels
        self.patch = patch
        self.merge = merge
        self.paddedWidth = (imageWidth + side - 1) / side * side
        self.paddedHeight = (imageHeight + side - 1) / side * side
    }

    /// The grid for an image's size and channels.
    public init(image: Image, patch: Int = 14, merge: Int = 2) throws(VisionError) {
        try self.init(imageWidth: image.width, imageHeight: image.height, channels: image.channels, patch: patch, merge: merge)
    }

    // MARK: Visual tokens

    /// Index of the visual token at token-grid row `row`, column `col` (row-major).
    public func index(row: Int, col: Int) throws(VisionError) -> Int {
        guard row >= 0, row < tokenRows, col >= 0, col < tokenCols else {
            throw VisionError("patch_grid: token (\(row), \(col)) is outside the \(tokenRows)×\(tokenCols) token grid")
        }
        return row * tokenCols + col
    }

    /// Token-grid (row, col) of visual token `token`.
    public func position(ofToken token: Int) throws(VisionError) -> (row: Int, col: Int) {
        try checkToken(token)
        return (token / tokenCols, token % tokenCols)
    }

    /// The pixel region of visual token `token` (in padded-image coordinates;
    /// level "token", text empty).
    public func region(ofToken token: Int) throws(VisionError) -> Box {
        try checkToken(token)
        return tokenRegion(token)
    }

    /// Regions of all visual tokens, in token order.
    public var regions: [Box] { (0..<tokenCount).map(tokenRegion) }

    /// The patches merged into visual token `token`, in merge order (dy-major,
    /// then dx: for a 2×2 merge top-left, top-right, bottom-left, bottom-right).
    public func mergedPatchIndices(ofToken token: Int) throws(VisionError) -> [Int] {
        try checkToken(token)
        return mergedPatches(token)
    }

    /// All patch indices, token by token, each token's in merge order: the
    /// gather that turns `[patchCount, D]` patch embeddings into
    /// `[tokenCount, merge·merge·D]` merged vectors (after a reshape).
    public var mergeOrder: [Int] { (0..<tokenCount).flatMap(mergedPatches) }

    // MARK: Patches

    /// Index of the patch at patch-grid row `row`, column `col` (row-major).
    public func patchIndex(row: Int, col: Int) throws(VisionError) -> Int {
        guard row >= 0, row < patchRows, col >= 0, col < patchCols else {
            throw VisionError("patch_grid: patch (\(row), \(col)) is outside the \(patchRows)×\(patchCols) patch grid")
        }
        return row * patchCols + col
    }

    /// Patch-grid (row, col) of patch `index`.
    public func patchPosition(ofPatch index: Int) throws(VisionError) -> (row: Int, col: Int) {
        guard index >= 0, index < patchCount else {
            throw VisionError("patch_grid: patch \(index) is outside 0..<\(patchCount)")
        }
        return (index / patchCols, index % patchCols)
    }

    /// The pixel region of patch `index` (padded-image coordinates; level "patch").
    public func patchRegion(ofPatch index: Int) throws(VisionError) -> Box {
        let (r, c) = try patchPosition(ofPatch: index)
        return Box(x: Double(c * patch), y: Double(r * patch), w: Double(patch), h: Double(patch), level: "patch")
    }

    /// The flattened patches of `image`: a tensor `[patchCount, patchLength]`,
    /// patches row-major, values (channel, row, column) within a patch — see the
    /// type's documentation. The image is padded right/bottom with 0. Its size
    /// and channels must be the grid's.
    public func patches(of image: Image) throws(VisionError) -> Tensor {
        guard image.width == imageWidth, image.height == imageHeight, image.channels == channels else {
            throw VisionError(
                "patches: the image is \(image.width)×\(image.height)×\(image.channels) but the grid is for \(imageWidth)×\(imageHeight)×\(channels) (width×height×channels)"
            )
        }
        var out = [Float](repeating: 0, count: patchCount * patchLength)
        out.withUnsafeMutableBufferPointer { dst in
            image.pixels.withUnsafeBufferPointer { src in extract(src, into: dst) }
        }
        return try tensorWork { () throws(TensorError) in try Tensor(shape: [patchCount, patchLength], values: out) }
    }

    /// The flattened patches of a tensor image `[H, W]` (one channel) or
    /// `[C, H, W]` → `[patchCount, patchLength]`, or of a batch `[B, C, H, W]` →
    /// `[B, patchCount, patchLength]`. Same order and padding as `patches(of:)`;
    /// values are taken as they are (not clamped), so normalized images work.
    public func patches(ofTensor t: Tensor) throws(VisionError) -> Tensor {
        let s = t.shape
        let (b, c, h, w): (Int, Int, Int, Int)
        switch s.count {
        case 2: (b, c, h, w) = (1, 1, s[0], s[1])
        case 3: (b, c, h, w) = (1, s[0], s[1], s[2])
        case 4: (b, c, h, w) = (s[0], s[1], s[2], s[3])
        default: throw VisionError("patches: needs a tensor [H, W], [C, H, W] or [B, C, H, W], got \(shapeText(s))")
        }
        guard c == channels, h == imageHeight, w == imageWidth else {
            throw VisionError("patches: the tensor \(shapeText(s)) does not match the grid's image [\(channels), \(imageHeight), \(imageWidth)] ([C, H, W])")
        }
        let values = try tensorWork { () throws(TensorError) in try t.toArray() }
        let per = patchCount * patchLength, imageSize = c * h * w
        var out = [Float](repeating: 0, count: b * per)
        out.withUnsafeMutableBufferPointer { dst in
            values.withUnsafeBufferPointer { src in
                for i in 0..<b {
                    extract(
                        UnsafeBufferPointer(rebasing: src[(i * imageSize)..<((i + 1) * imageSize)]),
                        into: UnsafeMutableBufferPointer(rebasing: dst[(i * per)..<((i + 1) * per)]))
                }
            }
        }
        return try tensorWork { () throws(TensorError) in
            try Tensor(shape: s.count == 4 ? [b, patchCount, patchLength] : [patchCount, patchLength], values: out)
        }
    }

    /// `image` padded right/bottom with 0 to `paddedWidth × paddedHeight`
    /// (the image the patches are cut from).
    public func paddedImage(_ image: Image) throws(VisionError) -> Image {
        guard image.width == imageWidth, image.height == imageHeight, image.channels == channels else {
            throw VisionError(
                "padded_image: the image is \(image.width)×\(image.height)×\(image.channels) but the grid is for \(imageWidth)×\(imageHeight)×\(channels)")
        }
        var out = try Image(width: paddedWidth, height: paddedHeight, channels: channels)
        for c in 0..<channels {
            for y in 0..<imageHeight {
                for x in 0..<imageWidth { out[c, y, x] = image[c, y, x] }
            }
        }
        return out
    }

    // MARK: Internals

    private func checkToken(_ token: Int) throws(VisionError) {
        guard token >= 0, token < tokenCount else {
            throw VisionError("patch_grid: token \(token) is outside 0..<\(tokenCount)")
        }
    }

    private func tokenRegion(_ token: Int) -> Box {
        let r = token / tokenCols, c = token % tokenCols, side = tokenSide
        return Box(x: Double(c * side), y: Double(r * side), w: Double(side), h: Double(side), level: "token")
    }

    private func mergedPatches(_ token: Int) -> [Int] {
        let r = token / tokenCols, c = token % tokenCols
        var out: [Int] = []
        out.reserveCapacity(merge * merge)
        for dy in 0..<merge {
            for dx in 0..<merge { out.append((r * merge + dy) * patchCols + c * merge + dx) }
        }
        return out
    }

    /// Copies one planar [C, imageHeight, imageWidth] image into zero-filled
    /// `dst` [patchCount, patchLength]; pixels beyond the image stay 0.
    private func extract(_ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>) {
        let p = patch, cols = patchCols, len = patchLength
        for pr in 0..<patchRows {
            let y0 = pr * p
            let rowsInImage = Swift.max(0, Swift.min(p, imageHeight - y0))
            for pc in 0..<cols {
                let x0 = pc * p
                let colsInImage = Swift.max(0, Swift.min(p, imageWidth - x0))
                if rowsInImage == 0 || colsInImage == 0 { continue }
                let base = (pr * cols + pc) * len
                for ch in 0..<channels {
                    for py in 0..<rowsInImage {
                        let s = (ch * imageHeight + y0 + py) * imageWidth + x0
                        let d = base + (ch * p + py) * p
                        for px in 0..<colsInImage { dst[d + px] = src[s + px] }
                    }
                }
            }
        }
    }
}
