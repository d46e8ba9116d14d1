/// Layer normalization over the last dimension as one fused kernel. Forward
/// computes each row's mean and reciprocal standard deviation (saved for
/// backward) and writes `(x − mean) · rstd · weight + bias`; backward computes
/// the input, weight and bias gradients in one sweep over the rows:
///   x̂ = (x − mean) · rstd,  ĝ = g ⊙ weight
///   dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))
///   dweight = Σ_rows g ⊙ x̂,  dbias = Σ_rows g
/// The row loops are DVSKernels' `dvs_layer_norm_*` (compiled per CPU
/// generation); rows are split over the worker pool.

import DVSKernels

extension Tensor {
    /// Normalizes each row along the last dimension to zero mean and unit
    /// (biased) variance, then scales by `weight` and shifts by `bias` (both of
    /// shape `[C]`, C the last dimension; either may be nil). `eps` is added
    /// to the variance.
    public func layerNorm(weight: Tensor? = nil, bias: Tensor? = nil, eps: Float = 1e-5) throws(TensorError) -> Tensor {
        let op = "layer_norm"
        guard rank >= 1 else { throw TensorError("\(op): needs at least 1 dimension, got shape \(shapeText(shape))") }
        let c = shape[rank - 1]
        for (name, p) in [("weight", weight), ("bias", bias)] {
            if let p, p.shape != [c] {
                throw TensorError("\(op): \(name) shape \(shapeText(p.shape)) does not match the last dimension of \(shapeText(shape))")
            }
        }
        guard eps >= 0, eps.isFinite else { throw TensorError("\(op): eps must be a non-negative number, got \(formatFloat(eps))") }
        let rows = c == 0 ? 0 : count / c
        let src = try contiguousLayout()
        let w = try weight.map { w throws(TensorError) in try w.contiguousLayout() }
        let b = try bias.map { w throws(TensorError) in try w.contiguousLayout() }
        let out = try Tensor(uninitializedShape: shape)
        let stats = try Tensor(uninitializedShape: [2, rows])  // means, then rstds
        let x = src.data, y = out.data, wp = w?.data, bp = b?.data
        let means = stats.data, rstds = stats.data + rows
        WorkerPool.shared.parallelFor(rows, grain: rowGrain(c)) { range in
            let r = range.lowerBound
            dvs_layer_norm_rows(x + r * c, y + r * c, range.count, c, wp, bp, eps, means + r, rstds + r)
        }

        let inputs = [self] + [weight, bias].compactMap { $0 }
        let a = self
        return out.recording(op, inputs, detail: "eps \(formatFloat(eps))") { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            let x = src.data, gp = gg.data, wp = w?.data
            let means = stats.data, rstds = stats.data + rows
            let gx: Tensor? = a.needsGrad ? try Tensor(uninitializedShape: a.shape) : nil
            let gw: Tensor? = weight?.needsGrad == true ? try Tensor.zeros([c]) : nil
            let gb: Tensor? = bias?.needsGrad == true ? try Tensor.zeros([c]) : nil
            // Rows in fixed blocks (independent of the thread count, so are the
            // sums); each block sums its weight and bias gradients apart, then
            // the blocks' sums are added in order.
            let blocks = LayerNormBlocks(rows: rows)
            let partials = try Tensor.zeros([blocks.count, 2, c])
            let dx = gx?.data, partial = partials.data
            WorkerPool.shared.run(parts: blocks.count) { block in
                let dw = partial + block * 2 * c, db = dw + c
                let rows = blocks.rows(block), r = rows.lowerBound
                dvs_layer_norm_backward_rows(
                    x + r * c, gp + r * c, dx.map { $0 + r * c }, rows.count, c, wp,
                    means + r, rstds + r, dw, db)
            }
            for (which, target) in [gw, gb].enumerated() {
                guard let d = target?.data else { continue }
                for block in 0..<blocks.count {
                    let src = partial + block * 2 * c + which * c
                    for j in 0..<c { d[j] += src[j] }
                }
            }
            var grads: [Tensor?] = [gx]
            if weight != nil { grads.append(gw) }
            if bias != nil { grads.append(gb) }
            return grads
        }
    }
}

/// Rows of a layer norm backward cut into at most 64 blocks of at least 16
/// rows, by the row count alone.
private struct LayerNormBlocks {
    let rowCount: Int
    let count: Int

    init(rows: Int) {
        rowCount = rows
        count = Swift.max(1, Swift.min(64, rows / 16))
    }

    func rows(_ block: Int) -> Range<Int> { rowCount * block / count..<rowCount * (block + 1) / count }
}
