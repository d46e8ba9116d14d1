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
        if b.rank == 2, a.rank > 2, a.isContiguous { return try a.matmulFolded(b) }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = try Shape.broadcast(batchA, batchB, "matmul")
        try Shape.validate(batch + [m, n], "matmul")
        // sgemm with beta = 0 writes every element; only an empty inner dimension needs zeros.
        let out = k == 0 ? try Tensor.zeros(batch + [m, n]) : try Tensor(uninitializedShape: batch + [m, n])
        let la = try MatrixLayout(a), lb = try MatrixLayout(b)
        let batchCount = Shape.count(batch)
        if m > 0, n > 0, k > 0, batchCount > 0 {
            // Large products are done in blocks that check for Ctrl-C (see BLAS.blockWork).
            try BLAS.sgemmBatched(transposeA: la.transposed, transposeB: lb.transposed, m: m, n: n, k: k,
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
    /// `a @ b` for a contiguous a of rank > 2 and a matrix b: a's leading
    /// dimensions fold into its rows, so forward and both gradients are one
    /// product each (not one per batch entry plus a sum over them for b's gradient).
    private func matmulFolded(_ b: Tensor) throws(TensorError) -> Tensor {
        let a = self
        let k = a.shape[a.rank - 1], n = b.shape[1], rows = a.count / Swift.max(k, 1)
        let flat = a.view(shape: [rows, k], strides: [k, 1], offset: a.offset)
        let product = try GradMode.withoutGrad { () throws(TensorError) in try flat.matmul(b) }
        let out = product.view(shape: Array(a.shape.dropLast()) + [n], strides: Shape.contiguousStrides(Array(a.shape.dropLast()) + [n]), offset: 0)
        return out.recording("matmul", [a, b]) { g throws(TensorError) in
            let gFlat = try g.contiguousLayout()
            let gRows = gFlat.view(shape: [rows, n], strides: [n, 1], offset: gFlat.offset)
            let ga = a.needsGrad ? try gRows.matmul(b.transpose(0, 1)).view(shape: a.shape, strides: Shape.contiguousStrides(a.shape), offset: 0) : nil
            let gb = b.needsGrad ? try flat.transpose(0, 1).matmul(gRows) : nil
            return [ga, gb]
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
        if (sc == 1 || cols <= 1), sr >= Swift.max(cols, 1) {
            tensor = t; transposed = false; leading = Swift.max(sr, 1)
        } else if (sr == 1 || rows <= 1), sc >= Swift.max(rows, 1) {
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
