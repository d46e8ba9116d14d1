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

import DVSKernels

extension Tensor {
    /// Attention of queries `q` over keys `k` and values `v`, shaped
    /// `[B, H, T, D]` (or `[B, T, D]` for one head); the result has q's
    /// leading shape with v's last dimension (`[B, H, Tq, Dv]`, or `[B, Tq, Dv]`).
    /// Scores are scaled by `1/√D`.
    ///
    /// - `causal`: query i attends to keys 0...i only (needs Tq == Tk).
    /// - `paddingMask`: `[B, Tk]`, nonzero = a real key, 0 = padding that no
    ///   query attends to. Queries left with no key produce zeros.
    public static func scaledDotProductAttention(
        _ q: Tensor, _ k: Tensor, _ v: Tensor, causal: Bool = false,
        paddingMask: Tensor? = nil
    ) throws(TensorError) -> Tensor {
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

        let core = AttentionCore(
            batch: batch, heads: heads, tq: tq, tk: tk, d: d, dv: dv, causal: causal,
            mask: maskValues, keptBefore: keptBefore)
        let qm = try HeadMatrices(q, batch: batch, heads: heads)
        let km = try HeadMatrices(k, batch: batch, heads: heads)
        let vm = try HeadMatrices(v, batch: batch, heads: heads)
        let out = try Tensor(uninitializedShape: lead + [tq, dv])
        let probs = try core.forward(q: qm, k: km, v: vm, out: HeadMatrices(stacked: out, step: tq * dv, leading: dv, count: bh))

        var detail: [String] = []
        if causal { detail.append("causal") }
        if paddingMask != nil { detail.append("padding") }
        let inputs = [q, k, v] + (paddingMask.map { [$0] } ?? [])
        return out.recording(op, inputs, detail: detail.isEmpty ? nil : detail.joined(separator: ", ")) { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            // Gradients come out contiguous, one matrix per batch·head.
            func gradient(_ t: Tensor, _ rows: Int, _ cols: Int) throws(TensorError) -> (Tensor, HeadMatrices)? {
                guard t.needsGrad else { return nil }
                let grad = try Tensor(uninitializedShape: t.shape)
                return (grad, HeadMatrices(stacked: grad, step: rows * cols, leading: cols, count: bh))
            }
            let gq = try gradient(q, tq, d), gk = try gradient(k, tk, d), gv = try gradient(v, tk, dv)
            try core.backward(
                probs: probs, out: HeadMatrices(stacked: gg, step: tq * dv, leading: dv, count: bh),
                q: qm, k: km, v: vm, dq: gq?.1, dk: gk?.1, dv: gv?.1)
            return [gq?.0, gk?.0, gv?.0, nil]
        }
    }

    /// Multi-head self-attention of a packed projection `qkv` [B, T, 3·D]
    /// (queries, then keys, then values, each D = heads · Dh wide, as one
    /// `affine` with the three weight matrices side by side produces it) →
    /// [B, T, D] with the heads already merged. Each head's Q, K and V are
    /// read in place (rows 3·D apart) and its output written in place, and
    /// backward writes dQ, dK and dV into one [B, T, 3·D] gradient: no head
    /// split or merge copies, and one product for the projection's gradients.
    /// Equal to splitting into [B, heads, T, Dh] and calling
    /// `scaledDotProductAttention`, then merging the heads.
    public static func selfAttention(_ qkv: Tensor, heads: Int, causal: Bool = false) throws(TensorError) -> Tensor {
        let op = "self_attention"
        guard qkv.rank == 3, qkv.shape[2] % 3 == 0 else {
            throw TensorError("\(op): qkv must be [B, T, 3·D] (queries, keys and values side by side), got \(shapeText(qkv.shape))")
        }
        let batch = qkv.shape[0], t = qkv.shape[1], width = qkv.shape[2] / 3
        guard heads >= 1, width % heads == 0 else {
            throw TensorError("\(op): \(heads) heads do not divide the width \(width) of qkv \(shapeText(qkv.shape))")
        }
        let dh = width / heads, bh = batch * heads
        try Shape.validate([bh, t, t], op)
        let x = try qkv.contiguousLayout()
        // Head h of batch b: Q at column h·Dh of the first third, K and V in the next thirds.
        func packed(_ tensor: Tensor, _ third: Int, _ base: Int) -> HeadMatrices {
            HeadMatrices(
                tensor: tensor, offsets: (0..<bh).map { i in base + (i / heads) * t * 3 * width + third * width + (i % heads) * dh },
                leading: 3 * width)
        }
        func merged(_ tensor: Tensor) -> HeadMatrices {
            HeadMatrices(tensor: tensor, offsets: (0..<bh).map { i in tensor.offset + (i / heads) * t * width + (i % heads) * dh }, leading: width)
        }
        let core = AttentionCore(batch: batch, heads: heads, tq: t, tk: t, d: dh, dv: dh, causal: causal, mask: nil, keptBefore: nil)
        let out = try Tensor(uninitializedShape: [batch, t, width])
        let probs = try core.forward(q: packed(x, 0, x.offset), k: packed(x, 1, x.offset), v: packed(x, 2, x.offset), out: merged(out))
        return out.recording(op, [qkv], detail: "\(heads) heads" + (causal ? ", causal" : "")) { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let grad = try Tensor(uninitializedShape: [batch, t, 3 * width])
            try core.backward(
                probs: probs, out: merged(gg), q: packed(x, 0, x.offset), k: packed(x, 1, x.offset), v: packed(x, 2, x.offset),
                dq: packed(grad, 0, 0), dk: packed(grad, 1, 0), dv: packed(grad, 2, 0))
            return [grad]
        }
    }
}

/// The arithmetic of attention once Q, K, V and O are laid out as BLAS
/// reads them (one matrix per batch·head, anywhere in storage).
private struct AttentionCore {
    let batch: Int, heads: Int, tq: Int, tk: Int, d: Int, dv: Int
    let causal: Bool
    /// The padding mask [B, Tk] and its prefix counts, or nil.
    let mask: Tensor?
    let keptBefore: [Int]?

    var bh: Int { batch * heads }
    var scale: Float { d > 0 ? 1 / Float(d).squareRoot() : 1 }
    private var pOffsets: [Int] { steppedOffsets(bh, tq * tk) }

    /// Whether each head is one call of DVSKernels' head kernels (on the
    /// CPUs and switch of `BLAS.ownKernel`; no padding mask, no empty
    /// dimension) rather than a BLAS call per product: the per-head matrices
    /// are too small for BLAS to pay off, and causal heads skip their zeros.
    private var fusedHeads: Bool { BLAS.ownKernel && mask == nil && tq > 0 && tk > 0 && d > 0 && dv > 0 }

    /// Writes O and returns P [B·H, Tq, Tk] (saved for backward).
    func forward(q: HeadMatrices, k: HeadMatrices, v: HeadMatrices, out: HeadMatrices) throws(TensorError) -> Tensor {
        let probs = try Tensor(uninitializedShape: [bh, tq, tk])
        if fusedHeads {
            let causal: Int32 = causal ? 1 : 0, p = probs.data
            try BLAS.parallelRounds(bh, work: tq * tk * (d + dv)) { heads in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: d * tk)
                defer { scratch.deallocate() }
                for i in heads {
                    if i + 1 < heads.upperBound {
                        q.prefetch(i + 1, rows: tq, cols: d)
                        k.prefetch(i + 1, rows: tk, cols: d)
                        v.prefetch(i + 1, rows: tk, cols: dv)
                    }
                    dvs_attention_head_forward(
                        tq, tk, d, dv, scale, causal, q.matrix(i), q.leading, k.matrix(i), k.leading,
                        v.matrix(i), v.leading, p + i * tq * tk, out.matrix(i), out.leading, scratch)
                }
            }
            return probs
        }
        // S = Q Kᵀ · scale, into the probability buffer.
        try BLAS.sgemmBatched(
            transposeA: false, transposeB: true, m: tq, n: tk, k: d, alpha: scale,
            a: q.base, lda: q.leading, aOffsets: q.offsets,
            b: k.base, ldb: k.leading, bOffsets: k.offsets,
            c: probs.data, ldc: tk, cOffsets: pOffsets)
        // P = masked softmax(S), row by row, in place.
        if tk > 0 {
            let probabilities = probs.data, mask = mask, keptBefore = keptBefore
            let heads = heads, tq = tq, tk = tk, causal = causal
            WorkerPool.shared.parallelFor(batch, grain: rowGrain(heads * tq * tk)) { batches in
                if mask == nil {
                    // No padding: every row keeps a prefix; one kernel call per matrix.
                    for matrix in (batches.lowerBound * heads)..<(batches.upperBound * heads) {
                        dvs_softmax_prefix_rows(probabilities + matrix * tq * tk, tq, tk, causal ? 1 : 0)
                    }
                    return
                }
                let bias = UnsafeMutablePointer<Float>.allocate(capacity: tk)
                defer { bias.deallocate() }
                for b in batches {
                    if let m = mask {
                        for j in 0..<tk { bias[j] = m.data[b * tk + j] != 0 ? 0 : -Float.infinity }
                    }
                    for h in 0..<heads {
                        for i in 0..<tq {
                            let row = probabilities + ((b * heads + h) * tq + i) * tk
                            let limit = causal ? Swift.min(i + 1, tk) : tk
                            let kept = keptBefore.map { $0[b * (tk + 1) + limit] } ?? limit
                            maskedSoftmaxRow(row, bias: mask == nil ? nil : bias, limit: limit, count: tk, anyKept: kept > 0)
                        }
                    }
                }
            }
        }
        // O = P V.
        try BLAS.sgemmBatched(
            transposeA: false, transposeB: false, m: tq, n: dv, k: tk,
            a: probs.data, lda: tk, aOffsets: pOffsets,
            b: v.base, ldb: v.leading, bOffsets: v.offsets,
            c: out.base, ldc: out.leading, cOffsets: out.offsets)
        return probs
    }

    /// Writes the gradients asked for (dq, dk, dv non-nil) from dO (`out`).
    func backward(
        probs: Tensor, out g: HeadMatrices, q: HeadMatrices, k: HeadMatrices, v: HeadMatrices,
        dq: HeadMatrices?, dk: HeadMatrices?, dv gv: HeadMatrices?
    ) throws(TensorError) {
        let p = probs.data
        if fusedHeads {
            let causal: Int32 = causal ? 1 : 0
            let scores = dq != nil || dk != nil ? tq * tk + dv * tk : 0
            try BLAS.parallelRounds(bh, work: tq * tk * (dv + (scores > 0 ? dv + 2 * d : 0))) { heads in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scores)
                defer { scratch.deallocate() }
                for i in heads {
                    if i + 1 < heads.upperBound {
                        g.prefetch(i + 1, rows: tq, cols: dv)
                        q.prefetch(i + 1, rows: tq, cols: d)
                        k.prefetch(i + 1, rows: tk, cols: d)
                        v.prefetch(i + 1, rows: tk, cols: dv)
                    }
                    dvs_attention_head_backward(
                        tq, tk, d, dv, scale, causal, p + i * tq * tk, g.matrix(i), g.leading, q.matrix(i), q.leading,
                        k.matrix(i), k.leading, v.matrix(i), v.leading, dq?.matrix(i), dq?.leading ?? 0, dk?.matrix(i),
                        dk?.leading ?? 0, gv?.matrix(i), gv?.leading ?? 0, scratch)
                }
            }
            return
        }
        if let gv {
            // dV = Pᵀ dO
            try BLAS.sgemmBatched(
                transposeA: true, transposeB: false, m: tk, n: dv, k: tq,
                a: p, lda: tk, aOffsets: pOffsets, b: g.base, ldb: g.leading, bOffsets: g.offsets,
                c: gv.base, ldc: gv.leading, cOffsets: gv.offsets)
        }
        guard dq != nil || dk != nil else { return }
        // dP = dO Vᵀ, then dS = P ⊙ (dP − rowsum(dP ⊙ P)) in place.
        let ds = try Tensor(uninitializedShape: [bh, tq, tk])
        try BLAS.sgemmBatched(
            transposeA: false, transposeB: true, m: tq, n: tk, k: dv,
            a: g.base, lda: g.leading, aOffsets: g.offsets, b: v.base, ldb: v.leading, bOffsets: v.offsets,
            c: ds.data, ldc: tk, cOffsets: pOffsets)
        let dsp = ds.data, columns = tk
        WorkerPool.shared.parallelFor(bh * tq, grain: rowGrain(tk)) { rows in
            dvs_softmax_backward_prefix_rows(p + rows.lowerBound * columns, dsp + rows.lowerBound * columns, rows.count, columns, 0)
        }
        if let dq {
            // dQ = dS K · scale
            try BLAS.sgemmBatched(
                transposeA: false, transposeB: false, m: tq, n: d, k: tk, alpha: scale,
                a: ds.data, lda: tk, aOffsets: pOffsets, b: k.base, ldb: k.leading, bOffsets: k.offsets,
                c: dq.base, ldc: dq.leading, cOffsets: dq.offsets)
        }
        if let dk {
            // dK = dSᵀ Q · scale
            try BLAS.sgemmBatched(
                transposeA: true, transposeB: false, m: tk, n: d, k: tq, alpha: scale,
                a: ds.data, lda: tk, aOffsets: pOffsets, b: q.base, ldb: q.leading, bOffsets: q.offsets,
                c: dk.base, ldc: dk.leading, cOffsets: dk.offsets)
        }
    }
}

/// Softmax of `row[0..<limit]` plus `bias` (0 or -inf per key), zeros from
/// `limit` on; all zeros when no key is kept.
@inline(__always)
private func maskedSoftmaxRow(
    _ row: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?,
    limit: Int, count: Int, anyKept: Bool
) {
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
        if colStride == 1 || cols <= 1, rows <= 1 || rowStride >= Swift.max(cols, 1) {
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

    /// Matrices at explicit storage offsets of `tensor` (views into a packed projection).
    init(tensor: Tensor, offsets: [Int], leading: Int) {
        self.tensor = tensor
        self.offsets = offsets
        self.leading = leading
    }

    /// `count` matrices stored back to back in a contiguous tensor, `step` floats apart.
    init(stacked tensor: Tensor, step: Int, leading: Int, count: Int) {
        self.init(tensor: tensor, offsets: steppedOffsets(count, step).map { $0 + tensor.offset }, leading: Swift.max(leading, 1))
    }

    var base: UnsafeMutablePointer<Float> { tensor.storage.pointer }

    /// Where matrix i starts.
    func matrix(_ i: Int) -> UnsafeMutablePointer<Float> { base + offsets[i] }

    /// Asks for matrix i's `rows` × `cols` into the cache ahead of use (`dvs_prefetch_rows`).
    func prefetch(_ i: Int, rows: Int, cols: Int) { dvs_prefetch_rows(matrix(i), leading, rows, cols) }
}
