/// Iteration over two tensors broadcast to a common shape.

/// Strides of `t` seen as a tensor of `shape` (0 along broadcast dimensions).
func broadcastStrides(_ t: Tensor, to shape: [Int]) -> [Int] {
    let lead = shape.count - t.rank
    var out = [Int](repeating: 0, count: shape.count)
    for i in 0..<t.rank where t.shape[i] != 1 {
        out[lead + i] = t.strides[i]
    }
    return out
}

/// Walks the rows of `shape` with two strided inputs, all of them or those in
/// `rows`: calls `body(offsetA, strideA, offsetB, strideB, rowLength,
/// outIndex)` for each row. With `cancellable` (only for loops that write
/// fresh results) it checks for cancellation every `Cancellation.elementChunk` elements.
@inline(__always)
func forEachRow2(
    shape: [Int], stridesA: [Int], offsetA: Int, stridesB: [Int], offsetB: Int, rows selected: Range<Int>? = nil,
    cancellable: Bool, _ body: (Int, Int, Int, Int, Int, Int) -> Void
) throws(TensorError) {
    let rank = shape.count
    if rank == 0 {
        body(offsetA, 0, offsetB, 0, 1, 0)
        return
    }
    let inner = shape[rank - 1]
    let rows = selected ?? 0..<(inner == 0 ? 0 : Shape.count(shape) / inner)
    if rows.isEmpty { return }
    var index = [Int](repeating: 0, count: rank - 1)
    var pa = offsetA + rowOffset(rows.lowerBound, shape: shape, strides: stridesA, index: &index)
    var pb = offsetB + rowOffset(rows.lowerBound, shape: shape, strides: stridesB, index: &index)
    var meter = CancellationMeter()
    for row in rows {
        body(pa, stridesA[rank - 1], pb, stridesB[rank - 1], inner, row * inner)
        if cancellable { try meter.add(inner) }
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            pa += stridesA[d]
            pb += stridesB[d]
            if index[d] < shape[d] { break }
            pa -= stridesA[d] * shape[d]
            pb -= stridesB[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}

/// An elementwise function of two floats, specialized into the loops below.
protocol BinaryKernel {
    static func apply(_ a: Float, _ b: Float) -> Float
}

/// `out = f(a, b)` with NumPy broadcasting. Contiguous same-shape and scalar
/// operands take flat (vectorizable) loops, a contiguous operand that is a
/// row repeated over the other's leading dimensions (a bias) takes a loop
/// over rows; all three are split over the worker pool. Large outputs are
/// computed in chunks that check for cancellation (`TensorError.interrupted`).
func broadcastBinary<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _ kernel: K.Type, _ op: String) throws(TensorError) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : try Shape.broadcast(a.shape, b.shape, op)
    let out = try Tensor(uninitializedShape: shape)
    let o = out.data
    let n = out.count
    let pool = WorkerPool.shared
    if a.shape == shape, b.shape == shape, a.isContiguous, b.isContiguous {
        let x = a.data, y = b.data
        try pool.cancellableFor(n) { r in for i in r { o[i] = K.apply(x[i], y[i]) } }
    } else if b.count == 1, a.shape == shape, a.isContiguous {
        let x = a.data, y = b.data[0]
        try pool.cancellableFor(n) { r in for i in r { o[i] = K.apply(x[i], y) } }
    } else if a.count == 1, b.shape == shape, b.isContiguous {
        let x = a.data[0], y = b.data
        try pool.cancellableFor(n) { r in for i in r { o[i] = K.apply(x, y[i]) } }
    } else if let width = repeatedRowWidth(b, over: a, shape: shape) {
        try mapRows(full: a.data, row: b.data, into: o, count: n, width: width, K.self)
    } else if let width = repeatedRowWidth(a, over: b, shape: shape) {
        try mapRows(full: b.data, row: a.data, into: o, count: n, width: width, Swapped<K>.self)
    } else {
        let pa = a.storage.pointer, pb = b.storage.pointer
        try forEachRow2(
            shape: shape, stridesA: broadcastStrides(a, to: shape), offsetA: a.offset,
            stridesB: broadcastStrides(b, to: shape), offsetB: b.offset, cancellable: true
        ) { sa, da, sb, db, len, outIndex in
            let d = o + outIndex
            for j in 0..<len { d[j] = K.apply(pa[sa + j * da], pb[sb + j * db]) }
        }
    }
    return out
}

/// out[r·width + j] = K(full[r·width + j], row[j]) for every row r, split over the pool.
private func mapRows<K: BinaryKernel>(
    full: UnsafeMutablePointer<Float>, row: UnsafeMutablePointer<Float>, into o: UnsafeMutablePointer<Float>,
    count: Int, width: Int, _ kernel: K.Type
) throws(TensorError) {
    try WorkerPool.shared.cancellableFor(count / width, grain: rowGrain(width)) { rows in
        for r in rows {
            let x = full + r * width, out = o + r * width
            for j in 0..<width { out[j] = K.apply(x[j], row[j]) }
        }
    }
}

/// A kernel with its operands swapped: f(b, a).
private enum Swapped<K: BinaryKernel>: BinaryKernel {
    @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { K.apply(b, a) }
}

/// When `row` is contiguous, `full` is contiguous with the result's shape,
/// and `row`'s shape (without leading 1s) is the last dimensions of that
/// shape — a bias added to every row — the length of one row; else nil.
private func repeatedRowWidth(_ row: Tensor, over full: Tensor, shape: [Int]) -> Int? {
    guard full.shape == shape, full.isContiguous, row.isContiguous, row.count > 0 else { return nil }
    let own = Array(row.shape.drop(while: { $0 == 1 }))
    guard own.count <= shape.count, Array(shape.suffix(own.count)) == own else { return nil }
    return Shape.count(own)
}

/// An elementwise function of one float.
protocol UnaryKernel {
    static func apply(_ x: Float) -> Float
}

/// `out = f(a)`, in chunks that check for cancellation when large.
func mapUnary<K: UnaryKernel>(_ a: Tensor, _ kernel: K.Type) throws(TensorError) -> Tensor {
    let src = try a.contiguousLayout()
    let out = try Tensor(uninitializedShape: a.shape)
    let x = src.data, o = out.data
    try WorkerPool.shared.cancellableFor(out.count) { r in for i in r { o[i] = K.apply(x[i]) } }
    return out
}
