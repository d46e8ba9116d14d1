/// Incremental decoding with a key/value cache: a model keeps every block's
/// keys and values in tensors `[B, H, T, D]` (or `[B, T, D]` for one head),
/// writes each new token's rows at its example's position, and lets the new
/// query attend only to the rows written so far. Both ops are for inference:
/// they record no autograd history and refuse inputs that need gradients
/// while recording is on.

extension Tensor {
    /// Writes `x` `[B, H, S, D]` (or `[B, S, D]`) into this cache `[B, H, T, D]`
    /// (or `[B, T, D]`) in place: rows `positions[b] ..< positions[b] + S` of
    /// example b get x's S rows of that example, in every head. `positions` is
    /// `[B]` of whole numbers with `0 ≤ positions[b] ≤ T − S`. The cache may be
    /// any strided view but an expanded one; its storage version advances.
    public func writeCache(_ x: Tensor, at positions: Tensor) throws(TensorError) {
        let op = "cache_write"
        let shapes = "cache \(shapeText(shape)), x \(shapeText(x.shape)), positions \(shapeText(positions.shape))"
        guard rank == 3 || rank == 4 else {
            throw TensorError("\(op): the cache must be [B, H, T, D] or [B, T, D], got \(shapes)")
        }
        guard x.rank == rank, x.shape[0] == shape[0], x.shape[rank - 1] == shape[rank - 1],
            rank == 3 || x.shape[1] == shape[1]
        else {
            let expected = rank == 4 ? "[\(shape[0]), \(shape[1]), S, \(shape[3])]" : "[\(shape[0]), S, \(shape[2])]"
            throw TensorError("\(op): x must be \(expected) to match the cache, got \(shapes)")
        }
        guard !requiresGrad, gradFn == nil else {
            throw TensorError("\(op): the cache needs gradients (a parameter or a result of one); a cache is a plain tensor such as zeros([B, H, T, D])")
        }
        guard !zip(shape, strides).contains(where: { $0.0 > 1 && $0.1 == 0 }) else {
            throw TensorError(
                "\(op): the cache is an expanded view (several elements share memory); write into a tensor of its own, e.g. zeros(\(shapeText(shape)))")
        }
        try Tensor.refuseRecording(op, [("x", x)])
        let batch = shape[0], heads = rank == 4 ? shape[1] : 1, rows = shape[rank - 2], width = shape[rank - 1]
        let s = x.shape[rank - 2]
        let starts = try Tensor.cachePositions(positions, batch: batch, op: op, what: "positions", shapes: shapes)
        for (b, p) in starts.enumerated() where p + s > rows {
            throw TensorError("\(op): position \(p) of example \(b) leaves no room for \(s) row\(s == 1 ? "" : "s") in a cache of \(rows): \(shapes)")
        }
        // x may be a view of the cache itself: read it from a copy then.
        let src = x.storage === storage ? try x.contiguousCopy() : try x.contiguousLayout()
        storage.markModified()
        let bStride = strides[0], hStride = rank == 4 ? strides[1] : 0
        let tStride = strides[rank - 2], dStride = strides[rank - 1]
        let base = storage.pointer + offset
        // In place: runs to the end (an interrupted write would leave half-written rows).
        for b in 0..<batch {
            for h in 0..<heads {
                for r in 0..<s {
                    let from = src.data + ((b * heads + h) * s + r) * width
                    let to = base + b * bStride + h * hStride + (starts[b] + r) * tStride
                    if dStride == 1 {
                        to.update(from: from, count: width)
                    } else {
                        for e in 0..<width { to[e * dStride] = from[e] }
                    }
                }
            }
        }
    }

    /// Attention of one new query per example over a cache: `q` `[B, H, 1, D]`
    /// (or `[B, 1, D]`), `keys` `[B, H, T, D]`, `values` `[B, H, T, Dv]`, and
    /// `lengths` `[B]` of whole numbers in `0...T`: key j of example b is
    /// visible iff `j < lengths[b]`. Returns `[B, H, 1, Dv]` (or `[B, 1, Dv]`);
    /// scores are scaled by `1/√D`, and an example with length 0 gets zeros.
    /// Equal to `scaledDotProductAttention(q, keys, values, paddingMask:)`
    /// with the first `lengths[b]` keys kept.
    public static func cachedAttention(_ q: Tensor, keys: Tensor, values: Tensor, lengths: Tensor) throws(TensorError) -> Tensor {
        let op = "cached_attention"
        let shapes = "q \(shapeText(q.shape)), keys \(shapeText(keys.shape)), values \(shapeText(values.shape)), lengths \(shapeText(lengths.shape))"
        guard q.rank == 3 || q.rank == 4 else {
            throw TensorError("\(op): q must be [B, H, 1, D] or [B, 1, D], got \(shapes)")
        }
        let r = q.rank
        guard keys.rank == r, values.rank == r else {
            throw TensorError("\(op): q, keys and values must have the same number of dimensions, got \(shapes)")
        }
        guard q.shape[r - 2] == 1 else {
            throw TensorError("\(op): q must hold one query per example and head (size 1 in dimension \(r - 2)), got \(shapes)")
        }
        let lead = Array(q.shape.dropLast(2))
        guard Array(keys.shape.dropLast(2)) == lead, Array(values.shape.dropLast(2)) == lead else {
            throw TensorError("\(op): batch and head dimensions differ: \(shapes)")
        }
        let d = q.shape[r - 1], rows = keys.shape[r - 2], dv = values.shape[r - 1]
        guard keys.shape[r - 1] == d else {
            throw TensorError("\(op): q and keys have different head sizes (\(d) vs \(keys.shape[r - 1])): \(shapes)")
        }
        guard values.shape[r - 2] == rows else {
            throw TensorError("\(op): keys and values hold different numbers of rows (\(rows) vs \(values.shape[r - 2])): \(shapes)")
        }
        try refuseRecording(op, [("q", q), ("keys", keys), ("values", values)])
        let batch = q.shape[0], heads = r == 4 ? q.shape[1] : 1
        let visible = try cachePositions(lengths, batch: batch, op: op, what: "lengths", shapes: shapes)
        for (b, n) in visible.enumerated() where n > rows {
            throw TensorError("\(op): length \(n) of example \(b) is more than the cache's \(rows) rows: \(shapes)")
        }
        try Shape.validate(lead + [1, dv], op)

        let qc = try q.contiguousLayout(), kc = try keys.contiguousLayout(), vc = try values.contiguousLayout()
        let out = try Tensor.zeros(lead + [1, dv])
        let scale = d > 0 ? 1 / Float(d).squareRoot() : 1
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(rows, 1))
        defer { scores.deallocate() }
        var work = 0
        for b in 0..<batch {
            let n = visible[b]
            for h in 0..<heads {
                let head = b * heads + h
                let qRow = qc.data + head * d, kRows = kc.data + head * rows * d, vRows = vc.data + head * rows * dv
                let o = out.data + head * dv
                guard n > 0 else { continue }  // no visible key: zeros
                for j in 0..<n { scores[j] = rowDot(qRow, kRows + j * d, d) * scale }
                let m = rowMax(scores, n)
                for j in 0..<n { scores[j] = vexp(scores[j] - m) }
                let inv = 1 / rowSum(scores, n)
                for j in 0..<n {
                    let p = scores[j] * inv, v = vRows + j * dv
                    for e in 0..<dv { o[e] += p * v[e] }
                }
                work += n * (d + dv)
                if work >= Cancellation.elementChunk {
                    work = 0
                    try Cancellation.check()
                }
            }
        }
        return out
    }

    /// Throws when autograd is recording and one of `inputs` needs gradients:
    /// the cache ops have no backward rule, so they would cut the gradient silently.
    private static func refuseRecording(_ op: String, _ inputs: [(String, Tensor)]) throws(TensorError) {
        guard GradMode.isEnabled, let (name, _) = inputs.first(where: { $0.1.needsGrad }) else { return }
        throw TensorError("\(op): \(name) needs gradients, but \(op) is for inference only (no backward); run it inside no_grad { … }")
    }

    /// Per-example whole numbers `[B]` (positions or lengths), each at least 0.
    private static func cachePositions(_ t: Tensor, batch: Int, op: String, what: String, shapes: String) throws(TensorError) -> [Int] {
        guard t.shape == [batch] else {
            throw TensorError("\(op): \(what) must be [B] = \(shapeText([batch])), one per example, got \(shapes)")
        }
        let values = try t.wholeNumbers(op, what)
        if let b = values.firstIndex(where: { $0 < 0 }) {
            throw TensorError("\(op): \(what) must be at least 0, got \(values[b]) for example \(b)")
        }
        return values
    }
}
