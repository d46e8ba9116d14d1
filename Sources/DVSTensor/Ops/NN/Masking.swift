/// Selection by a mask: `maskedFill` (put a constant where the mask is
/// nonzero) and `where` (pick from one of two tensors), both broadcasting as
/// NumPy does. Gradients go to the element that was picked; masks and
/// conditions get none.

extension Tensor {
    /// This tensor with `value` wherever `mask` (broadcastable with it) is
    /// nonzero. The result has the broadcast shape; the gradient is 0 at
    /// filled positions.
    public func maskedFill(mask: Tensor, value: Float) throws(TensorError) -> Tensor {
        let op = "masked_fill"
        let outShape = shape == mask.shape ? shape : try Shape.broadcast(shape, mask.shape, op)
        let out = try Tensor(uninitializedShape: outShape)
        let fill = Tensor(scalar: value)
        selectByCondition(mask, fill, self, into: out, shape: outShape)
        let a = self
        return out.recording(op, [a, mask], detail: "= \(formatFloat(value))") { g throws(TensorError) in
            let zero = Tensor(scalar: 0)
            let gx = try Tensor(uninitializedShape: outShape)
            selectByCondition(mask, zero, g, into: gx, shape: outShape)
            return [try gx.sumTo(a.shape), nil]
        }
    }

    /// Elementwise choice: `x` where `condition` is nonzero, else `y`; the
    /// three broadcast together. Gradients flow to `x` where the condition
    /// holds and to `y` elsewhere.
    public static func `where`(condition: Tensor, x: Tensor, y: Tensor) throws(TensorError) -> Tensor {
        let op = "where"
        let outShape = try Shape.broadcast(try Shape.broadcast(condition.shape, x.shape, op), y.shape, op)
        let out = try Tensor(uninitializedShape: outShape)
        selectByCondition(condition, x, y, into: out, shape: outShape)
        return out.recording(op, [condition, x, y]) { g throws(TensorError) in
            let zero = Tensor(scalar: 0)
            var gx: Tensor?, gy: Tensor?
            if x.needsGrad {
                let t = try Tensor(uninitializedShape: outShape)
                selectByCondition(condition, g, zero, into: t, shape: outShape)
                gx = try t.sumTo(x.shape)
            }
            if y.needsGrad {
                let t = try Tensor(uninitializedShape: outShape)
                selectByCondition(condition, zero, g, into: t, shape: outShape)
                gy = try t.sumTo(y.shape)
            }
            return [nil, gx, gy]
        }
    }
}

/// `out = condition != 0 ? a : b`, all three operands broadcast to `shape`
/// (`out` contiguous of that shape). Walks rows; the inner loop is strided.
private func selectByCondition(_ condition: Tensor, _ a: Tensor, _ b: Tensor, into out: Tensor, shape: [Int]) {
    let n = out.count
    if n == 0 { return }
    let o = out.data
    let pc = condition.storage.pointer, pa = a.storage.pointer, pb = b.storage.pointer
    if condition.shape == shape, a.shape == shape, b.shape == shape,
        condition.isContiguous, a.isContiguous, b.isContiguous
    {
        let c = condition.data, x = a.data, y = b.data
        for i in 0..<n { o[i] = c[i] != 0 ? x[i] : y[i] }
        return
    }
    let rank = shape.count
    if rank == 0 {
        o[0] = pc[condition.offset] != 0 ? pa[a.offset] : pb[b.offset]
        return
    }
    let sc = broadcastStrides(condition, to: shape), sa = broadcastStrides(a, to: shape), sb = broadcastStrides(b, to: shape)
    let inner = shape[rank - 1]
    let dc = sc[rank - 1], da = sa[rank - 1], db = sb[rank - 1]
    let rows = n / inner
    var index = [Int](repeating: 0, count: rank - 1)
    var oc = condition.offset, oa = a.offset, ob = b.offset
    for row in 0..<rows {
        let dst = o + row * inner
        for j in 0..<inner { dst[j] = pc[oc + j * dc] != 0 ? pa[oa + j * da] : pb[ob + j * db] }
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            oc += sc[d]; oa += sa[d]; ob += sb[d]
            if index[d] < shape[d] { break }
            oc -= sc[d] * shape[d]; oa -= sa[d] * shape[d]; ob -= sb[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}
