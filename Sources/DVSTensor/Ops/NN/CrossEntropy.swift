import DVSKernels
import Foundation

/// Cross-entropy of logits against integer labels as one fused kernel:
/// log-softmax, the pick of the label's entry and the reduction happen in one
/// sweep per row, and backward writes `(softmax − onehot) · coefficient`
/// directly, with ignored rows zero.

extension Tensor {
    /// How a per-position loss is reduced to the returned value.
    public enum Reduction: String, Sendable, CaseIterable {
        /// The (weighted) mean over the positions that are not ignored; 0 when there are none.
        case mean
        /// The (weighted) sum over all positions.
        case sum
        /// One loss per position (the labels' shape), 0 where ignored.
        case none
    }

    /// Cross-entropy of these logits (classes along the last dimension, e.g.
    /// `[N, C]` or `[B, T, C]`) against `labels` of the leading shape (`[N]`,
    /// `[B, T]`) holding whole numbers in `0..<C`; positions labelled
    /// `ignoreIndex` (default -100) contribute nothing.
    ///
    /// `mask`, when given, is a per-position weight (the labels' shape, or
    /// broadcastable to it) that multiplies each position's loss;
    /// `classWeights` ([C], PyTorch's `weight`) multiplies the loss of each
    /// position by the weight of its label's class. `.mean` divides by the sum
    /// of the positions' combined weights, ignored positions left out (0 when
    /// that sum is 0 — never `nan`), as PyTorch does for `weight`. Gradients
    /// flow to the logits and to `mask` when it requires them; never to the
    /// labels or the class weights.
    public func crossEntropy(
        labels: Tensor, mask: Tensor? = nil, classWeights: Tensor? = nil, ignoreIndex: Int = -100,
        reduction: Reduction = .mean
    ) throws(TensorError) -> Tensor {
        let weights = mask
        let op = "cross_entropy"
        guard rank >= 1 else {
            throw TensorError("\(op): logits need a class dimension (last), got shape \(shapeText(shape))")
        }
        let c = shape[rank - 1]
        let rowShape = Array(shape.dropLast())
        guard labels.shape == rowShape else {
            throw TensorError("\(op): labels shape \(shapeText(labels.shape)) does not match logits \(shapeText(shape)) (expected \(shapeText(rowShape)))")
        }
        guard c > 0 else { throw TensorError("\(op): logits \(shapeText(shape)) have no classes") }
        let ids = try labels.wholeNumbers(op, "labels")
        for (i, id) in ids.enumerated() where id != ignoreIndex && (id < 0 || id >= c) {
            throw TensorError(
                "\(op): label \(id) at \(positionText(i, rowShape)) is out of range for \(c) classes (expected 0..<\(c), or \(ignoreIndex) to ignore)")
        }
        var w: Tensor?
        if let weights {
            guard (try? Shape.broadcast(weights.shape, rowShape, op)) == rowShape else {
                throw TensorError("\(op): weights shape \(shapeText(weights.shape)) does not match labels shape \(shapeText(rowShape))")
            }
            w = try weights.detached().expandTo(rowShape).contiguousCopy()
        }
        // Per-row class weight of the row's label (1 without class weights; 0 for ignored rows).
        var classFactor: [Float]? = nil
        if let classWeights {
            guard classWeights.shape == [c] else {
                throw TensorError("\(op): weight (one per class) must have shape [\(c)], got \(shapeText(classWeights.shape))")
            }
            let cw = try classWeights.detached().toArray()
            let factor = ids.map { id in id == ignoreIndex ? Float(0) : Float(cw[id]) }
            let combined = try Tensor(uninitializedShape: rowShape)
            for r in 0..<ids.count { combined.data[r] = (w?.data[r] ?? 1) * factor[r] }
            w = combined
            classFactor = factor
        }
        let wp = w?.data  // per-row weights, or nil for all ones

        let rows = ids.count
        // Rows are read where they are when each is contiguous (a slice such as
        // logits[:, 0:T-1] of a model's output is not copied).
        let logits = strides[rank - 1] == 1 || c <= 1 ? self : try contiguousCopy()
        var starts: [Int] = []
        starts.reserveCapacity(rows)
        forEachRow(shape: logits.shape, strides: logits.strides, offset: logits.offset) { start, _, _, _ in starts.append(start) }
        let rowStarts = starts, x = logits.storage.pointer
        // Per row: log-sum-exp (for backward) and the unweighted loss.
        let lse = try Tensor(uninitializedShape: [rows]), losses = try Tensor(uninitializedShape: [rows])
        let ls = lse.data, lo = losses.data
        WorkerPool.shared.parallelFor(rows, grain: rowGrain(c)) { range in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: c)
            defer { scratch.deallocate() }
            for r in range {
                let id = ids[r]
                if id == ignoreIndex {
                    ls[r] = 0
                    lo[r] = 0
                    continue
                }
                let row = x + rowStarts[r]
                let m = rowMax(row, c)
                let l = m + logf(dvs_exp_shifted_sum(row, scratch, c, m))
                ls[r] = l
                lo[r] = l - row[id]
            }
        }
        // Summed in row order on one thread: the same loss for any thread count.
        var total: Double = 0, denominator: Double = 0
        for r in 0..<rows where ids[r] != ignoreIndex {
            let wr: Float = wp?[r] ?? 1
            total += Double(wr) * Double(lo[r])
            denominator += Double(wr)
        }

        let out: Tensor
        switch reduction {
        case .mean: out = Tensor(scalar: denominator == 0 ? 0 : Float(total / denominator))
        case .sum: out = Tensor(scalar: Float(total))
        case .none:
            out = try Tensor(uninitializedShape: rowShape)
            for r in 0..<rows { out.data[r] = (wp?[r] ?? 1) * lo[r] }
        }

        let inputs = weights.map { [self, labels, $0] } ?? [self, labels]
        let a = self
        let detail = reduction == .mean ? nil : reduction.rawValue
        return out.recording(op, inputs, detail: detail) { g throws(TensorError) in
            let gg = try g.contiguousLayout()
            // Pointers from the saved tensors, which the closure keeps alive.
            let x = logits.storage.pointer, ls = lse.data, lo = losses.data, wp = w?.data
            // coefficient(r) = ∂loss/∂(loss of row r): the output gradient times the row's weight share.
            @inline(__always) func upstream(_ r: Int) -> Float {
                switch reduction {
                case .mean: return denominator == 0 ? 0 : gg.data[0] / Float(denominator)
                case .sum: return gg.data[0]
                case .none: return gg.data[r]
                }
            }
            var gradLogits: Tensor?
            if a.needsGrad {
                let gx = try Tensor(uninitializedShape: a.shape)
                let coefficients = (0..<rows).map { r in ids[r] == ignoreIndex ? 0 : upstream(r) * (wp?[r] ?? 1) }
                let dx = gx.data
                WorkerPool.shared.parallelFor(rows, grain: rowGrain(c)) { range in
                    for r in range {
                        let d = dx + r * c, id = ids[r], coefficient = coefficients[r]
                        if coefficient == 0 {
                            d.update(repeating: 0, count: c)
                            continue
                        }
                        let row = x + rowStarts[r], l = ls[r]
                        dvs_scaled_exp(row, d, c, l, coefficient)
                        d[id] -= coefficient
                    }
                }
                gradLogits = gx
            }
            var gradWeights: Tensor?
            if let weights, weights.needsGrad {
                // mean = Σ w·l / Σ w, so ∂mean/∂w_r = (l_r − mean) / Σ w.
                let meanLoss = denominator == 0 ? 0 : Float(total / denominator)
                let gw = try Tensor(uninitializedShape: rowShape)
                for r in 0..<rows {
                    let shifted = reduction == .mean ? lo[r] - meanLoss : lo[r]
                    gw.data[r] = ids[r] == ignoreIndex ? 0 : upstream(r) * shifted * (classFactor?[r] ?? 1)
                }
                gradWeights = try gw.sumTo(weights.shape)
            }
            return [gradLogits, nil, gradWeights]
        }
    }
}
