/// Rescales the gradients of `parameters` so their global L2 norm is at most
/// `maxNorm`, as PyTorch's `torch.nn.utils.clip_grad_norm_` (norm type 2):
///
///     norm = √(Σ over all gradients of Σ gᵢ²)      (accumulated in Float64)
///     coef = maxNorm / (norm + 1e-6)              (in Float32)
///     g ← g·coef for every gradient, when coef < 1
///
/// (coef < 1 is PyTorch's clamp: gradients are scaled when norm > maxNorm −
/// 1e-6.) Returns the norm before clipping. Parameters without a gradient are
/// ignored (0 when none has one); a gradient listed twice (a parameter
/// repeated in the list) counts and is scaled once.
/// Gradients are scaled in place; a non-contiguous gradient is replaced by a
/// scaled contiguous copy.
///
/// A non-finite norm (an inf or nan gradient) is an error when
/// `errorIfNonfinite` is true; otherwise, as in PyTorch, the scaling proceeds
/// (coef is 0 for an infinite norm, nan for a nan one).
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Float, errorIfNonfinite: Bool = false) throws(TensorError) -> Float {
    guard maxNorm.isFinite, maxNorm > 0 else {
        throw TensorError("clipGradNorm: maxNorm must be a finite number > 0, got \(maxNorm)")
    }
    var seen = Set<ObjectIdentifier>()
    var params: [Tensor] = []
    for p in parameters {
        if let g = p.grad, seen.insert(ObjectIdentifier(g)).inserted { params.append(p) }
    }
    if params.isEmpty { return 0 }

    var sumSquares: Double = 0
    for p in params {
        let g = p.grad!
        let src = try g.contiguousLayout()
        let x = src.data
        for j in 0..<src.count {
            let v = Double(x[j])
            sumSquares += v * v
        }
    }
    let norm = Float(sumSquares.squareRoot())
    if errorIfNonfinite, !norm.isFinite {
        throw TensorError("clipGradNorm: the total norm of the gradients is \(norm); a gradient holds inf or nan")
    }
    let coef = maxNorm / (norm + 1e-6)
    // PyTorch multiplies by min(coef, 1); a nan coef passes through the clamp.
    guard coef < 1 || coef.isNaN else { return norm }
    for p in params {
        let g = p.grad!
        if g.isContiguous {
            g.storage.markModified()
            let x = g.data
            for j in 0..<g.count { x[j] = x[j] * coef }
        } else {
            let c = try g.contiguousCopy()
            let x = c.data
            for j in 0..<c.count { x[j] = x[j] * coef }
            p.grad = c
        }
    }
    return norm
}
