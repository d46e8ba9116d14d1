/// Scaled dot-product attention as one fused op:
///   S = Q Kᵀ / √D (one GEMM per batch·head),  P = masked softmax(S) (saved),
///   O = P V (one GEMM per batch·head).
/// Backward, with dO the output gradient:
///   dV = Pᵀ dO,  dP = dO Vᵀ,  dS = P ⊙ (dP − rowsum(dP ⊙ P)),
///   dQ = dS K / √D,  dK = dSᵀ Q / √D.
/// Masked entries have P = 0, so they get no gradient; a query whose keys are
/// all masked gets an output row of zeros (not nan) and no gradient.
/// q, k and v may be strided views (e.g. heads split out of a fused
/// projection by reshape + permute): as long as each head's rows are
/// contiguous they go to BLAS without a copy.

extension Tensor {
    /// Attention of queries `q` over keys `k` and values `v`, shaped
    /// `[B, H, T, D]` (or `[B, T, D]` for one head); the result has q's
    /// leading shape with v's last dimension (`[B, H, Tq, Dv]`, or `[B, Tq, Dv]`).
    /// Scores are scaled by `1/√D`.
    ///
    /// - `causal`: query i attends to keys 0...i only (needs Tq == Tk).
    /// - `paddingMask`: `[B, Tk]`, nonzero = a real key, 0 = padding that no
    ///   query attends to. Queries left with no key produce zeros.
    public static func scaledDotProductAttention(_ q: Tensor, _ k: Tensor, _ v: Tensor, causal: Bool = false,
                                                 paddingMask: Tensor? = nil) throws(TensorError) -> Tensor {
        let op = "scaled_dot_product_attention"
        guard q.rank == 3 || q.rank == 4 else {
            throw TensorError("\(op): q must be [B, H, T, D] or [B, T, D], got \(shapeText(q.shape))")
        }
        let shapes = "q \(shapeText(q.shape)), k \(shapeText(k.shape)), v \(shapeText(v.shape))"
        guard k.rank == q.rank, v.rank == q.rank else {
            throw TensorError("\(op): q, k and v must have the same number of dimensions, got \(shapes)")
        }
        let r = q.rank
        let lead = Array(q.shape.dropLast(2))
        guard Array(k.shape.dropLast(2)) == lead, Array(v.shape.dropLast(2)) == lead else {
            throw TensorError("\(op): batch and head dimensions differ: \(shapes)")
        }
        let tq = q.shape[r - 2], d = q.shape[r - 1], tk = k.shape[r - 2], dv = v.shape[r - 1]
        guard k.shape[r - 1] == d else {
            throw TensorError("\(op): q and k have different head sizes (\(d) vs \(k.shape[r - 1])): \(shapes)")
        }
        guard v.shape[r - 2] == tk else {
            throw TensorError("\(op): k and v have different numbers of keys (\(tk) vs \(v.shape[r - 2])): \(shapes)")
        }
        if causal, tq != tk {
            throw TensorError("\(op): a causal mask needs as many queries as keys, got \(shapes)")
        }
        let batch = q.shape[0], heads = r == 4 ? q.shape[1] : 1, bh = batch * heads
        try Shape.validate([bh, tq, tk], op)

        // The padding mask, and per batch row how many of keys 0..<j are real (prefix counts).
        var maskValues: Tensor?
        var keptBefore: [Int]?
        if let paddingMask {
            guard paddingMask.shape == [batch, tk] else {
                throw TensorError("\(op): padding mask shape \(shapeText(paddingMask.shape)) does not match [B, Tk] = \(shapeText([batch, tk])) of \(shapes)")
            }
            let m = try paddingMask.contiguousLayout()
            var counts = [Int](repeating: 0, count: batch * (tk + 1))
            for b in 0..<batch {
                for j in 0..<tk { counts[b * (tk + 1) + j + 1] = counts[b * (tk + 1) + j] + (m.data[b * tk + j] != 0 ? 1 : 0) }
            }
            maskValues = m
            keptBefore = counts
        }

        let scale = d > 0 ? 1 / Float(d).squareRoot() : 1
        let qm = try HeadMatrices(q, batch: batch, heads: heads)
        let km = try HeadMatrices(k, batch: batch, heads: heads)
        let vm = try HeadMatrices(v, batch: batch, heads: heads)
        let probs = try Tensor(uninitializedShape: [bh, tq, tk])
        let out = try Tensor(uninitializedShape: lead + [tq, dv])
        let pOffsets = steppedOffsets(bh, tq * tk), oOffsets = steppedOffsets(bh, tq * dv)

        // S = Q Kᵀ · scale, into the probability buffer.
        try BLAS.sgemmBatched(transposeA: false, transposeB: true, m: tq, n: tk, k: d, alpha: scale,
                          a: qm.base, lda: qm.leading, aOffsets: qm.offsets,
                          b: km.base, ldb: km.leading, bOffsets: km.offsets,
                          c: probs.data, ldc: tk, cOffsets: pOffsets)
        // P = masked softmax(S), row by row, in place.
        if tk > 0 {
            let probabilities = probs.data, maskTensor = maskValues, prefixCounts = keptBefore
            WorkerPool.shared.parallelFor(batch, grain: rowGrain(heads * tq * tk)) { batches in
                let mask = UnsafeMutablePointer<Float>.allocate(capacity: tk)
                defer { mask.deallocate() }
                for b in batches {
                    if let m = maskTensor {
                        for j in 0..<tk { mask[j] = m.data[b * tk + j] != 0 ? 0 : -Float.infinity }
                    }
                    for h in 0..<heads {
                        for i in 0..<tq {
                            let row = probabilities + ((b * heads + h) * tq + i) * tk
                            let limit = causal ? Swift.min(i + 1, tk) : tk
                            let kept = prefixCounts.map { $0[b * (tk + 1) + limit] } ?? limit
                            maskedSoftmaxRow(row, bias: maskTensor == nil ? nil : mask, limit: limit, count: tk, anyKept: kept > 0)
                        }
                    }
                }
            }
        }
        // O = P V.
        try BLAS.sgemmBatched(transposeA: false, transposeB: false, m: tq, n: dv, k: tk,
                          a: probs.data, lda: tk, aOffsets: pOffsets,
                          b: vm.base, ldb: vm.leading, bOffsets: vm.offsets,
                          c: out.data, ldc: dv, cOffsets: oOffsets)

        var detail: [String] = []
        if causal { detail.append("causal") }
        if paddingMask != nil { detail.append("padding") }
        let inputs = [q, k, v] + (paddingMask.map { [$0] } ?? [])
        return out.recording(op, inputs, detail: detail.isEmpty ? nil : detail.joined(separator: ", ")) { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let p = probs.data
            var gq: Tensor?, gk: Tensor?, gv: Tensor?
            if v.needsGrad {
                // dV = Pᵀ dO
                let t = try Tensor(uninitializedShape: v.shape)
                try BLAS.sgemmBatched(transposeA: true, transposeB: false, m: tk, n: dv, k: tq,
                                  a: p, lda: tk, aOffsets: pOffsets, b: gg.data, ldb: dv, bOffsets: oOffsets,
                                  c: t.data, ldc: dv, cOffsets: steppedOffsets(bh, tk * dv))
                gv = t
            }
            if q.needsGrad || k.needsGrad {
                // dP = dO Vᵀ, then dS = P ⊙ (dP − rowsum(dP ⊙ P)) in place.
                let ds = try Tensor(uninitializedShape: [bh, tq, tk])
                try BLAS.sgemmBatched(transposeA: false, transposeB: true, m: tq, n: tk, k: dv,
                                  a: gg.data, lda: dv, aOffsets: oOffsets, b: vm.base, ldb: vm.leading, bOffsets: vm.offsets,
                                  c: ds.data, ldc: tk, cOffsets: pOffsets)
                let dsp = ds.data
                WorkerPool.shared.parallelFor(bh * tq, grain: rowGrain(tk)) { rows in
                    for row in rows {
                        let pr = p + row * tk, dr = dsp + row * tk
                        let s = rowDot(pr, dr, tk)
                        for j in 0..<tk { dr[j] = pr[j] * (dr[j] - s) }
                    }
                }
                if q.needsGrad {
                    // dQ = dS K · scale
                    let t = try Tensor(uninitializedShape: q.shape)
                    try BLAS.sgemmBatched(transposeA: false, transposeB: false, m: tq, n: d, k: tk, alpha: scale,
                                      a: ds.data, lda: tk, aOffsets: pOffsets, b: km.base, ldb: km.leading, bOffsets: km.offsets,
                                      c: t.data, ldc: d, cOffsets: steppedOffsets(bh, tq * d))
                    gq = t
                }
                if k.needsGrad {
                    // dK = dSᵀ Q · scale
                    let t = try Tensor(uninitializedShape: k.shape)
                    try BLAS.sgemmBatched(transposeA: true, transposeB: false, m: tk, n: d, k: tq, alpha: scale,
                                      a: ds.data, lda: tk, aOffsets: pOffsets, b: qm.base, ldb: qm.leading, bOffsets: qm.offsets,
                                      c: t.data, ldc: d, cOffsets: steppedOffsets(bh, tk * d))
                    gk = t
                }
            }
            return [gq, gk, gv, nil]
        }
    }
}

/// Softmax of `row[0..<limit]` plus `bias` (0 or -inf per key), zeros from
/// `limit` on; all zeros when no key is kept.
@inline(__always)
private func maskedSoftmaxRow(_ row: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?,
                              limit: Int, count: Int, anyKept: Bool) {
    if !anyKept {
        row.update(repeating: 0, count: count)
        return
    }
    if let bias {
        for j in 0..<limit { row[j] += bias[j] }
    }
    let m = rowMax(row, limit)
    for j in 0..<limit { row[j] = vexp(row[j] - m) }
    let inv = 1 / rowSum(row, limit)
    for j in 0..<limit { row[j] *= inv }
    if limit < count { (row + limit).update(repeating: 0, count: count - limit) }
}

/// Offsets 0, step, 2·step, … of `count` matrices laid out back to back.
private func steppedOffsets(_ count: Int, _ step: Int) -> [Int] {
    (0..<count).map { $0 * step }
}

/// q, k or v as BLAS reads it: the storage offset of each (batch, head)
/// matrix and the shared leading dimension. A tensor whose rows are not
/// contiguous with a usable row stride is copied once.
private struct HeadMatrices {
    let tensor: Tensor
    let offsets: [Int]
    let leading: Int

    init(_ t: Tensor, batch: Int, heads: Int) throws(TensorError) {
        let r = t.rank
        let rows = t.shape[r - 2], cols = t.shape[r - 1]
        let rowStride = t.strides[r - 2], colStride = t.strides[r - 1]
        if (colStride == 1 || cols <= 1), rows <= 1 || rowStride >= Swift.max(cols, 1) {
            tensor = t
            leading = rows <= 1 ? Swift.max(cols, 1) : rowStride
        } else {
            tensor = try t.contiguousCopy()
            leading = Swift.max(cols, 1)
        }
        let batchStride = tensor.strides[0], headStride = r == 4 ? tensor.strides[1] : 0
        var offsets = [Int](repeating: 0, count: batch * heads)
        for b in 0..<batch {
            for h in 0..<heads { offsets[b * heads + h] = tensor.offset + b * batchStride + h * headStride }
        }
        self.offsets = offsets
    }

    var base: UnsafeMutablePointer<Float> { tensor.storage.pointer }
}
