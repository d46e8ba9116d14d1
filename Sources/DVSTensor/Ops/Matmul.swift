/// Matrix products through `cblas_sgemm`: 2-D, batched (batch dimensions
/// broadcast as in NumPy), and with 1-D operands treated as vectors.
/// Transposed views are passed to BLAS as transposed, without copying.
/// Products larger than `BLAS.blockWork` multiply-adds stop at Ctrl-C
/// (`TensorError.interrupted`) within one block.

extension Tensor {
    public func matmul(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        guard a.rank >= 1, b.rank >= 1 else {
            throw TensorError("matmul: needs tensors with at least 1 dimension, got \(shapeText(a.shape)) @ \(shapeText(b.shape))")
        }
        let innerA = a.shape[a.rank - 1], innerB = b.shape[Swift.max(b.rank - 2, 0)]
        guard innerA == innerB else {
            throw TensorError("matmul: \(shapeText(a.shape)) @ \(shapeText(b.shape)): inner dimensions \(innerA) and \(innerB) differ")
        }
        if a.rank == 1 && b.rank == 1 {
            return try a.unsqueeze(0).matmul(b.unsqueeze(1)).reshape([])
        }
        if a.rank == 1 { return try a.unsqueeze(0).matmul(b).squeeze(-2) }
        if b.rank == 1 { return try a.matmul(b.unsqueeze(1)).squeeze(-1) }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        guard k == k2 else {
            throw TensorError("matmul: \(shapeText(a.shape)) @ \(shapeText(b.shape)): inner dimensions \(k) and \(k2) differ")
        }
        if b.rank == 2, a.rank > 2, a.isContiguous { return try a.foldedProduct(b, bias: nil, source: a) }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = try Shape.broadcast(batchA, batchB, "matmul")
        try Shape.validate(batch + [m, n], "matmul")
        // sgemm with beta = 0 writes every element; only an empty inner dimension needs zeros.
        let out = k == 0 ? try Tensor.zeros(batch + [m, n]) : try Tensor(uninitializedShape: batch + [m, n])
        let la = try MatrixLayout(a), lb = try MatrixLayout(b)
        let batchCount = Shape.count(batch)
        if m > 0, n > 0, k > 0, batchCount > 0 {
            // Large products are done in blocks that check for Ctrl-C (see BLAS.blockWork).
            try BLAS.sgemmBatched(
                transposeA: la.transposed, transposeB: lb.transposed, m: m, n: n, k: k,
                a: la.tensor.storage.pointer, lda: la.leading, aOffsets: batchOffsets(la.tensor, batch: batch),
                b: lb.tensor.storage.pointer, ldb: lb.leading, bOffsets: batchOffsets(lb.tensor, batch: batch),
                c: out.data, ldc: n, cOffsets: (0..<batchCount).map { $0 * m * n })
        }
        return out.recording("matmul", [a, b]) { g throws(TensorError) in
            let ga = a.needsGrad ? try g.matmul(b.transpose(-2, -1)).sumTo(a.shape) : nil
            let gb = b.needsGrad ? try a.transpose(-2, -1).matmul(g).sumTo(b.shape) : nil
            return [ga, gb]
        }
    }
}

extension Tensor {
    /// `x @ w + b` as one op: x [..., K] (any rank ≥ 1), w [K, N], b [N].
    /// The bias is added where the product is written (no zero fill, no
    /// second pass over the output); backward is one product per gradient
    /// and a column sum for b.
    public func affine(_ w: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        let op = "affine"
        guard rank >= 1, w.rank == 2 else {
            throw TensorError("\(op): needs x with at least 1 dimension and a matrix w, got x \(shapeText(shape)) and w \(shapeText(w.shape))")
        }
        guard shape[rank - 1] == w.shape[0] else {
            throw TensorError("\(op): x \(shapeText(shape)) @ w \(shapeText(w.shape)): inner dimensions \(shape[rank - 1]) and \(w.shape[0]) differ")
        }
        guard b.shape == [w.shape[1]] else {
            throw TensorError(
                "\(op): bias shape \(shapeText(b.shape)) does not match the \(w.shape[1]) columns of w \(shapeText(w.shape)) (expected [\(w.shape[1])])")
        }
        return try (isContiguous ? self : contiguousCopy()).foldedProduct(w, bias: b, source: self)
    }

    /// `self @ w (+ bias)` for a contiguous self of any rank ≥ 1 and a matrix
    /// w: self's leading dimensions fold into its rows, so forward and each
    /// gradient are one product (not one per batch entry plus a sum over them
    /// for w's gradient). `source` is the tensor the graph records as input
    /// (self, or the tensor self was copied from).
    fileprivate func foldedProduct(_ w: Tensor, bias: Tensor?, source: Tensor) throws(TensorError) -> Tensor {
        let k = shape[rank - 1], n = w.shape[1], rows = Shape.count(Array(shape.dropLast()))
        let outShape = Array(shape.dropLast()) + [n]
        try Shape.validate(outShape, bias == nil ? "matmul" : "affine")
        let out = try Tensor(uninitializedShape: outShape)
        let biasValues = try bias?.contiguousLayout()
        if rows > 0, n > 0 {
            let lw = try MatrixLayout(w)
            try BLAS.sgemmBatched(
                transposeA: false, transposeB: lw.transposed, m: rows, n: n, k: k,
                a: data, lda: Swift.max(k, 1), aOffsets: [0], b: lw.tensor.storage.pointer, ldb: lw.leading, bOffsets: [lw.tensor.offset],
                c: out.data, ldc: n, cOffsets: [0], bias: biasValues.map { UnsafePointer($0.data) })
        }
        let x = self, inputs = [source, w] + (bias.map { [$0] } ?? [])
        return out.recording(bias == nil ? "matmul" : "affine", inputs) { g throws(TensorError) in
            let gFlat = try g.contiguousLayout()
            let gRows = gFlat.view(shape: [rows, n], strides: [n, 1], offset: gFlat.offset)
            let flat = x.view(shape: [rows, k], strides: [k, 1], offset: x.offset)
            let gx =
                source.needsGrad
                ? try gRows.matmul(w.transpose(0, 1)).view(shape: source.shape, strides: Shape.contiguousStrides(source.shape), offset: 0) : nil
            let gw = w.needsGrad ? try flat.transpose(0, 1).matmul(gRows) : nil
            let gb = bias?.needsGrad == true ? try gRows.sumTo([n]) : nil
            return [gx, gw, gb]
        }
    }
}

/// How a tensor's last two dimensions can be handed to BLAS: row-major
/// (possibly with a larger leading dimension) or transposed; else a copy.
private struct MatrixLayout {
    let tensor: Tensor
    let transposed: Bool
    let leading: Int

    init(_ t: Tensor) throws(TensorError) {
        let r = t.rank
        let rows = t.shape[r - 2], cols = t.shape[r - 1]
        let sr = t.strides[r - 2], sc = t.strides[r - 1]
        if sc == 1 || cols <= 1, sr >= Swift.max(cols, 1) {
            tensor = t; transposed = false; leading = Swift.max(sr, 1)
        } else if sr == 1 || rows <= 1, sc >= Swift.max(rows, 1) {
            tensor = t; transposed = true; leading = Swift.max(sc, 1)
        } else {
            let c = try t.contiguousCopy()
            tensor = c; transposed = false; leading = Swift.max(cols, 1)
        }
    }
}

/// Storage offsets of each matrix of `t` when its batch dimensions are broadcast to `batch`.
private func batchOffsets(_ t: Tensor, batch: [Int]) -> [Int] {
    let total = Shape.count(batch)
    if batch.isEmpty { return [t.offset] }
    let own = Array(t.shape.dropLast(2)), ownStrides = Array(t.strides.dropLast(2))
    let lead = batch.count - own.count
    var strides = [Int](repeating: 0, count: batch.count)
    for i in 0..<own.count where own[i] != 1 { strides[lead + i] = ownStrides[i] }
    var offsets = [Int](repeating: t.offset, count: total)
    var index = [Int](repeating: 0, count: batch.count)
    var position = t.offset
    for i in 0..<total {
        offsets[i] = position
        var d = batch.count - 1
        while d >= 0 {
            index[d] += 1
            position += strides[d]
            if index[d] < batch[d] { break }
            position -= strides[d] * batch[d]
            index[d] = 0
            d -= 1
        }
    }
    return offsets
}
