/// A Float32 N-dimensional tensor: a view (shape, strides, offset) of a shared
/// storage. Views made by transpose, permute, slice and expand share storage
/// and copy only when an op needs contiguous data.
///
/// Integer data (labels, token ids) is stored as Float32 holding whole numbers —
/// exact up to 2^24 — and tagged `dtype = .int64` so it prints without decimals
/// and saves as I64. Ops that need integers (cross-entropy labels, embedding ids,
/// index_select) accept any tensor whose values are whole, so `tensor([1, -100, 3])`
/// works wherever labels are expected.
public final class Tensor {
    public enum DType: String { case float32 = "f32", int64 = "i64" }

    public let storage: TensorStorage
    public let shape: [Int]
    public let strides: [Int]
    public let offset: Int
    /// Number of elements.
    public let count: Int
    public var dtype: DType = .float32

    /// A leaf that collects gradients in `grad` (a parameter).
    public var requiresGrad = false
    /// The accumulated gradient of a leaf after `backward`.
    public var grad: Tensor?
    /// The op that produced this tensor, when autograd recorded it.
    public internal(set) var gradFn: GradFn?
    /// A name for graphs and checkpoints (a parameter's path in its record).
    public var name: String?

    public init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.count = Shape.count(shape)
    }

    /// A new contiguous tensor over fresh storage (uninitialized: kernels fill it).
    init(uninitializedShape shape: [Int]) throws(TensorError) {
        guard Shape.fitsLimit(shape) else {
            throw TensorError("\(shapeText(shape)) has too many elements (at most \(Shape.maxElements))")
        }
        let n = Shape.count(shape)
        self.storage = try TensorStorage(uninitializedCount: n)
        self.shape = shape
        self.strides = Shape.contiguousStrides(shape)
        self.offset = 0
        self.count = n
    }

    /// A contiguous tensor holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float]) throws(TensorError) {
        try Shape.validate(shape, "tensor")
        guard values.count == Shape.count(shape) else {
            throw TensorError("tensor: \(values.count) values do not fill shape \(shapeText(shape)) (\(Shape.count(shape)) elements)")
        }
        try self.init(uninitializedShape: shape)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { data.update(from: base, count: values.count) }
        }
    }

    /// A scalar (0-dimensional) tensor.
    public init(scalar: Float) {
        storage = TensorStorage(scalar: scalar)
        shape = []
        strides = []
        offset = 0
        count = 1
    }

    /// A 1-D tensor of `count` values `value(i)`, written straight into its
    /// storage (no intermediate array: `arange(2**30)` needs one buffer).
    public static func generated(count: Int, _ value: (Int) -> Float) throws(TensorError) -> Tensor {
        try Shape.validate([count], "tensor")
        let t = try Tensor(uninitializedShape: [count])
        for i in 0..<count { t.data[i] = value(i) }
        return t
    }

    public static func zeros(_ shape: [Int]) throws(TensorError) -> Tensor { try full(shape, 0) }
    public static func ones(_ shape: [Int]) throws(TensorError) -> Tensor { try full(shape, 1) }

    public static func full(_ shape: [Int], _ value: Float) throws(TensorError) -> Tensor {
        try Shape.validate(shape, "full")
        let t = try Tensor(uninitializedShape: shape)
        let d = t.data
        WorkerPool.shared.parallelFor(t.count, grain: elementGrain) { r in (d + r.lowerBound).update(repeating: value, count: r.count) }
        return t
    }

    public var rank: Int { shape.count }

    /// True when the elements are laid out row-major without gaps from `offset`.
    public var isContiguous: Bool {
        if count == 0 { return true }  // no elements: any layout reads nothing
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected *= shape[i]
        }
        return true
    }

    /// Element 0 of the view. Kernels read `count` elements from here only when
    /// the tensor is contiguous.
    public var data: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// Whether gradients flow into this tensor (a parameter, or computed from one).
    public var needsGrad: Bool { requiresGrad || gradFn != nil }

    /// The elements in row-major order.
    public func toArray() throws(TensorError) -> [Float] {
        if isContiguous { return Array(UnsafeBufferPointer(start: data, count: count)) }
        return try contiguousCopy().toArray()
    }

    /// The element at row-major position `index` (0..<count) of any layout,
    /// read in place: printing shows a few elements of a huge view without a copy.
    public func element(at index: Int) -> Float {
        var rest = index, position = offset
        for d in stride(from: rank - 1, through: 0, by: -1) where shape[d] > 0 {
            position += (rest % shape[d]) * strides[d]
            rest /= shape[d]
        }
        return storage.pointer[position]
    }

    /// The single value of a one-element tensor.
    public func item() throws(TensorError) -> Float {
        guard count == 1 else { throw TensorError("item: needs a tensor with one element, got shape \(shapeText(shape))") }
        return storage.pointer[offset]
    }

    /// A contiguous copy of the elements (no autograd history).
    public func contiguousCopy() throws(TensorError) -> Tensor {
        let out = try Tensor(uninitializedShape: shape)
        out.dtype = dtype
        stridedCopy(from: self, to: out.data)
        return out
    }

    /// This tensor when its layout is contiguous, else a contiguous copy: what
    /// kernels that read `data` flat need.
    func contiguousLayout() throws(TensorError) -> Tensor {
        isContiguous ? self : try contiguousCopy()
    }

    /// A tensor sharing this one's storage with another shape/stride layout.
    func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        let t = Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
        t.dtype = dtype
        return t
    }
}

/// Copies the elements of `src` (any layout) row-major into `dst`, split
/// over the worker pool.
func stridedCopy(from src: Tensor, to dst: UnsafeMutablePointer<Float>) {
    let n = src.count
    if n == 0 { return }
    let base = src.storage.pointer
    if src.isContiguous {
        let s = src.data
        WorkerPool.shared.parallelFor(n, grain: elementGrain) { r in (dst + r.lowerBound).update(from: s + r.lowerBound, count: r.count) }
        return
    }
    let shape = src.shape, strides = src.strides, offset = src.offset
    let inner = shape.last ?? 1
    WorkerPool.shared.parallelFor(n / Swift.max(inner, 1), grain: rowGrain(inner)) { rows in
        forEachRow(shape: shape, strides: strides, offset: offset, rows: rows) { rowStart, innerStride, innerCount, outIndex in
            let s = base + rowStart
            let d = dst + outIndex
            if innerStride == 1 {
                d.update(from: s, count: innerCount)
            } else {
                for j in 0..<innerCount { d[j] = s[j * innerStride] }
            }
        }
    }
}

/// Walks the rows (last dimension) of a strided layout, all of them or those
/// in `rows`: for each, calls `body(storage offset of its first element,
/// stride along the row, row length, row-major index of its first element)`.
@inline(__always)
func forEachRow(
    shape: [Int], strides: [Int], offset: Int, rows selected: Range<Int>? = nil,
    _ body: (_ start: Int, _ stride: Int, _ count: Int, _ outIndex: Int) -> Void
) {
    let rank = shape.count
    if rank == 0 {
        body(offset, 1, 1, 0)
        return
    }
    let inner = shape[rank - 1]
    let innerStride = strides[rank - 1]
    let rows = selected ?? 0..<(inner == 0 ? 0 : Shape.count(shape) / inner)
    if rows.isEmpty { return }
    var index = [Int](repeating: 0, count: rank - 1)
    var position = offset + rowOffset(rows.lowerBound, shape: shape, strides: strides, index: &index)
    for row in rows {
        body(position, innerStride, inner, row * inner)
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            position += strides[d]
            if index[d] < shape[d] { break }
            position -= strides[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}

/// Where row `row` (counting rows of the last dimension row-major) starts
/// relative to the layout's offset; sets `index` to its position in the
/// leading dimensions.
@inline(__always)
func rowOffset(_ row: Int, shape: [Int], strides: [Int], index: inout [Int]) -> Int {
    var rest = row, position = 0
    var d = shape.count - 2
    while d >= 0 {
        index[d] = rest % shape[d]
        rest /= shape[d]
        position += index[d] * strides[d]
        d -= 1
    }
    return position
}
